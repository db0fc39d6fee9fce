using System.Net;
using System.Net.Sockets;

namespace Provisioning.IntegrationTests;

/// <summary>The consumer's process at start-up: a wrong setting is one line and exit code 1; an unreachable broker is waited for.</summary>
public sealed class StartupTests
{
    static Dictionary<string, string> Settings(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__RabbitMq"] = "amqp://guest:guest@127.0.0.1:5672/",
            ["WeCom__BaseUrl"] = "http://127.0.0.1:9/",
            ["WeCom__CorpId"] = "ww-startup",
            ["WeCom__CorpSecret"] = "startup-secret",
            ["Storage__SqlitePath"] = Path.Combine(Path.GetTempPath(), $"provisioning-startup-{Guid.NewGuid():N}.db"),
        };
        foreach (var (key, value) in overrides)
            settings[key] = value;
        return settings;
    }

    [Theory]
    [InlineData("WeCom__BaseUrl", "notaurl", "WeCom:BaseUrl")]
    [InlineData("Retry__Delays__0", "5 seconds", "Retry:Delays:0")]
    [InlineData("Storage__Provider", "Foo", "Sqlite, Postgres, None")]
    // An old name, set in the environment, is read over the new name's default in appsettings.json; the line names both.
    [InlineData("Idempotency__Provider", "Foo", "Sqlite, Postgres, None. Settings renamed: Idempotency:Provider (or Idempotency__Provider) is now Storage:Provider")]
    [InlineData("WeCom__CorpSecret", "", "WeCom:CorpSecret is required")]
    public async Task Start_InvalidSetting_PrintsOneLineAndExitsWithOne(string key, string value, string expected)
    {
        await using var consumer = ConsumerProcess.Launch(Settings((key, value)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await consumer.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, consumer.ExitCode);
        var line = Assert.Single(consumer.ErrorOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("provisioning-consumer: start-up failed: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("startup-secret", consumer.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BrokerUnreachable_KeepsRetryingWithOneLinePerAttemptAndIsNotReady()
    {
        var closedPort = FreePort();
        var healthPort = FreePort();
        await using var consumer = ConsumerProcess.Launch(Settings(
            ("ConnectionStrings__RabbitMq", $"amqp://guest:guest@127.0.0.1:{closedPort}/"),
            ("Urls", $"http://127.0.0.1:{healthPort}")));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}/") };

        await Wait.Until(() => Task.FromResult(consumer.HasExited || Attempts(consumer) >= 3), TimeSpan.FromSeconds(60),
            "three attempts to reach the broker");
        Assert.False(consumer.HasExited, "the consumer exited:\n" + consumer.Output);

        using var ready = await http.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("masstransit-bus", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", consumer.Output, StringComparison.Ordinal);
        using var live = await http.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    static int Attempts(ConsumerProcess consumer) =>
        consumer.Output.Split('\n').Count(line => line.Contains("Connection Failed", StringComparison.Ordinal));

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
