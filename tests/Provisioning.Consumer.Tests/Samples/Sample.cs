namespace Provisioning.Consumer.Tests.Samples;

/// <summary>Real-shaped WeCom answers, as JSON files beside the tests.</summary>
internal static class Sample
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name + ".json"));
}
