namespace Provisioning.TestSupport;

/// <summary>Where the repository and the build the tests run on are.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug: the configuration these tests were built in.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Output(string project) => Path.Combine(Root, "src", project, "bin", Configuration, "net10.0");

    static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Provisioning.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Provisioning.sln not found above " + AppContext.BaseDirectory);
    }
}
