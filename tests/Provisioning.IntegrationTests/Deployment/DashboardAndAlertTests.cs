using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Provisioning.IntegrationTests.Deployment;

/// <summary>
/// The Grafana dashboard (deploy/grafana) and the alert rules (deploy/prometheus) name only metrics that exist: ours
/// as the running service shows them on /metrics (or as it declares them, for a counter nothing has touched yet), and
/// RabbitMQ's from its rabbitmq_prometheus plugin.
/// </summary>
public sealed partial class DashboardAndAlertTests(MetricsSystem system) : IClassFixture<MetricsSystem>
{
    /// <summary>What RabbitMQ's rabbitmq_prometheus plugin emits per queue (its per-object metrics), of what we use.</summary>
    static readonly string[] RabbitMqPluginMetrics = ["rabbitmq_queue_messages_ready", "rabbitmq_queue_messages_unacked", "rabbitmq_queue_consumers"];

    [GeneratedRegex(@"\b(?:provisioning|rabbitmq|dotnet|http|messaging)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();

    static string Repository(string path) => Path.Combine(RepositoryPaths.Root, path);

    static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Repository("deploy/grafana/provisioning-dashboard.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.NotEmpty(panels);
        foreach (var panel in panels)
        {
            Assert.False(string.IsNullOrEmpty(panel.GetProperty("title").GetString()));
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.NotEmpty(targets);
            foreach (var target in targets)
                yield return target.GetProperty("expr").GetString()!;
        }
    }

    static List<(string Alert, string Expr)> AlertRules()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Repository("deploy/prometheus/alerts.yml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var rules = new List<(string, string)>();
        foreach (YamlMappingNode group in (YamlSequenceNode)root["groups"])
        {
            Assert.False(string.IsNullOrEmpty(((YamlScalarNode)group["name"]).Value));
            foreach (YamlMappingNode rule in (YamlSequenceNode)group["rules"])
            {
                var severity = ((YamlScalarNode)((YamlMappingNode)rule["labels"])["severity"]).Value;
                Assert.Contains(severity, new[] { "warning", "critical" });
                Assert.False(string.IsNullOrEmpty(((YamlScalarNode)((YamlMappingNode)rule["annotations"])["summary"]).Value));
                rules.Add((((YamlScalarNode)rule["alert"]).Value!, ((YamlScalarNode)rule["expr"]).Value!));
            }
        }
        return rules;
    }

    /// <summary>The Prometheus names of every instrument our meter declares (a counter that nothing touched is not scraped yet).</summary>
    static HashSet<string> Declared()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name != Operations.ProvisioningInstrumentation.Name)
                    return;
                var name = instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "");
                var type = instrument.GetType().GetGenericTypeDefinition();
                if (type == typeof(Counter<>))
                    names.Add(name + "_total");
                else if (type == typeof(Histogram<>))
                    names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
                else
                    names.Add(name);
            },
        };
        listener.Start();
        return names;
    }

    /// <summary>
    /// The dashboard's queue choice and the dead-letter alert are the two lists of command queues outside the catalogue
    /// (Grafana and Prometheus cannot read it): a command added to the catalogue fails here until both cover its queues.
    /// </summary>
    [Fact]
    public void DashboardAndAlerts_CoverEveryCommandOfTheCatalogue()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Repository("deploy/grafana/provisioning-dashboard.json")));
        var choice = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "queue");
        var listed = choice.GetProperty("query").GetString()!.Split(',');
        var all = new Regex("^(?:" + choice.GetProperty("allValue").GetString() + ")$");
        var errorAlert = AlertRules().Single(r => r.Alert == "ProvisioningErrorQueueGrowing").Expr;
        var errorQueues = new Regex("^(?:" + Regex.Match(errorAlert, "queue=~\"(?<pattern>[^\"]+)\"").Groups["pattern"].Value + ")$");
        foreach (var queue in Rules.CommandCatalogue.All.Select(command => command.Queue))
        {
            Assert.Contains(queue, listed);
            Assert.Matches(all, queue);
            Assert.Matches(all, queue + ".ww-corp");
            Assert.Matches(errorQueues, Contracts.CommandQueueNames.Error(queue));
        }
    }

    [Fact]
    public async Task DashboardAndAlerts_NameOnlyMetricsThatExist()
    {
        var known = await MetricsEndpointTests.ScrapeAsync(system);
        known.UnionWith(Declared());
        known.UnionWith(RabbitMqPluginMetrics);
        var rules = AlertRules();
        Assert.Equal(["WeComEnterprisePaused", "ProvisioningErrorQueueGrowing", "ProvisioningNoConsumer", "ProvisioningFailureRateHigh", "ProvisioningDeletionGuardHolding"],
            rules.Select(r => r.Alert));

        var used = DashboardExpressions().Concat(rules.Select(r => r.Expr)).SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet();

        Assert.Empty(used.Except(known));
        // What the issue asks to see: creates, failures by reason, latency, parking, pauses, queue depth and consumers.
        Assert.Superset(new HashSet<string> { "provisioning_members_created_total", "provisioning_commands_failed_total",
            "provisioning_command_duration_seconds_bucket", "provisioning_retries_parked_total", "provisioning_wecom_paused",
            "rabbitmq_queue_messages_ready", "rabbitmq_queue_consumers" }, used);
    }
}
