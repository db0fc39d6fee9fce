using System.Text.RegularExpressions;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Deployment;

/// <summary>The consumer with its Prometheus endpoint on, as the image and the manifests run it.</summary>
public sealed class MetricsSystem : ProvisioningSystem
{
    protected override bool Web => true;

    protected override Dictionary<string, string?> ConsumerSettings => new() { ["Telemetry:Prometheus"] = "true" };
}

/// <summary>
/// <c>/metrics</c> lists our metric names, the runtime's and the service's identity; the Grafana dashboard and the
/// Prometheus alert rules under deploy/ use only names that the service (or RabbitMQ's own plugin) emits.
/// </summary>
public sealed partial class MetricsEndpointTests(MetricsSystem system) : IClassFixture<MetricsSystem>
{
    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? ", RegexOptions.Multiline)]
    private static partial Regex Sample();

    /// <summary>Every metric name the endpoint shows once a create succeeded and another failed.</summary>
    internal static async Task<HashSet<string>> ScrapeAsync(MetricsSystem system)
    {
        var created = ProvisioningSystem.NewCommand("metrics");
        await system.Publisher.PublishAsync(created);
        await system.Outcomes.CreatedFor(created.RequestId);
        var invalid = ProvisioningSystem.NewCommand("metrics") with { Gender = 7 };
        await system.Publisher.PublishAsync(invalid);
        await system.Outcomes.FailedFor(invalid.RequestId);
        using var http = new HttpClient { BaseAddress = system.Consumer.BaseAddress };
        var names = new HashSet<string>(StringComparer.Ordinal);
        // The exporter caches a scrape for a moment: read until the outcomes above are in it.
        await Wait.Until(async () =>
        {
            var text = await http.GetStringAsync("/metrics");
            names = [.. Sample().Matches(text).Select(m => m.Groups[1].Value)];
            // Both: another test of this fixture may have made a failure already, so a failure alone does not say that
            // this scrape holds the success above.
            return names.Contains("provisioning_commands_failed_total") && names.Contains("provisioning_members_created_total");
        }, TimeSpan.FromSeconds(30), "the outcomes in the scrape");
        return names;
    }

    [Fact]
    public async Task Metrics_ListOurNamesTheRuntimesAndTheServiceIdentity()
    {
        var names = await ScrapeAsync(system);
        using var http = new HttpClient { BaseAddress = system.Consumer.BaseAddress };
        var text = await http.GetStringAsync("/metrics");

        Assert.Contains("provisioning_members_created_total", names);
        Assert.Contains("provisioning_commands_applied_total", names);
        Assert.Contains("provisioning_commands_failed_total", names);
        Assert.Contains("provisioning_command_duration_seconds_bucket", names);
        Assert.Contains("provisioning_wecom_concurrency_limit", names);
        Assert.Contains("provisioning_wecom_paused", names);
        Assert.Contains(names, n => n.StartsWith("dotnet_gc_", StringComparison.Ordinal));
        Assert.Contains("service_name=\"provisioning-consumer\"", text, StringComparison.Ordinal);
        Assert.Contains("service_version=\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(system.Simulator.Secret, text, StringComparison.Ordinal);
        await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "provisioning-metric-names.txt"), names.Order());
    }

    /// <summary>
    /// Issue 20: corp ids that publishers choose must not become label values (each added about 18 series; one was
    /// markup). Commands for enterprises this service does not serve are counted under corp_id="unknown", all of them.
    /// </summary>
    [Fact]
    public async Task Metrics_CountEnterprisesWeDoNotServe_UnderOneLabel()
    {
        string[] hostile = ["ww-nobody-" + Guid.NewGuid().ToString("N")[..8], "\"><img src=x onerror=alert(1)>", "ww-" + new string('x', 300)];
        var commands = hostile.Select(corp => ProvisioningSystem.NewCommand("metrics") with { CorpId = corp }).ToList();
        foreach (var command in commands)
            await system.Publisher.PublishAsync(command);
        foreach (var command in commands)
            await system.Outcomes.FailedFor(command.RequestId);

        using var http = new HttpClient { BaseAddress = system.Consumer.BaseAddress };
        var text = "";
        await Wait.Until(async () =>
        {
            text = await http.GetStringAsync("/metrics");
            return text.Contains("reason=\"UnknownCorp\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the unknown enterprises' failures in the scrape");
        Assert.Contains("corp_id=\"unknown\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ww-nobody-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", text, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxxxxxxxx", text, StringComparison.Ordinal);
    }
}
