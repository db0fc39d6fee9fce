using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Provisioning.Consumer;
using Provisioning.Storage;
using Provisioning.Consumer.Operator;
using Provisioning.Storage.RequestLog;
using Provisioning.WeCom;
using Provisioning.Contracts;
using YamlDotNet.RepresentationModel;
using Provisioning.Consumer.Transport;

namespace Provisioning.IntegrationTests.Deployment;

/// <summary>
/// deploy/kubernetes, validated without a cluster: every document's structure, the references between them, the
/// probes against the running service's endpoints, the settings through the service's own options validation, the
/// stop timeout, and the KEDA replica bound against the WeCom rate.
/// </summary>
public sealed class KubernetesManifestTests(MetricsSystem system) : IClassFixture<MetricsSystem>
{
    static readonly string Folder = Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes");

    static List<YamlMappingNode> Documents(string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Folder, file))));
        return [.. yaml.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    static Dictionary<string, YamlMappingNode> ByKind() =>
        Directory.GetFiles(Folder, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => Documents(Path.GetFileName(f))).ToDictionary(d => Text(d, "kind") + "/" + Text(d, "metadata", "name"));

    static YamlNode Node(YamlNode node, params object[] path)
    {
        foreach (var step in path)
            node = step is int index ? ((YamlSequenceNode)node)[index] : ((YamlMappingNode)node)[(string)step];
        return node;
    }

    static string Text(YamlNode node, params object[] path) => ((YamlScalarNode)Node(node, path)).Value!;

    static Dictionary<string, string> Data(YamlMappingNode document, string key) =>
        ((YamlMappingNode)document[key]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);

    [Fact]
    public void EveryResource_IsWellFormed_AndTheKustomizationListsFilesThatExist()
    {
        var kustomization = Documents("kustomization.yaml").Single();
        foreach (YamlScalarNode resource in (YamlSequenceNode)kustomization["resources"])
            Assert.True(File.Exists(Path.Combine(Folder, resource.Value!)), $"kustomization.yaml lists {resource.Value}, which does not exist");
        var all = ByKind();
        Assert.All(all.Values, d => Assert.False(string.IsNullOrEmpty(Text(d, "apiVersion"))));
        Assert.Superset(new HashSet<string> { "Deployment/provisioning-consumer", "ConfigMap/provisioning-consumer", "Secret/provisioning-consumer",
            "Service/provisioning-consumer", "PodDisruptionBudget/provisioning-consumer", "ScaledObject/provisioning-consumer",
            "TriggerAuthentication/provisioning-rabbitmq" }, all.Keys.ToHashSet());
    }

    [Fact]
    public async Task TheDeployment_ProbesOurEndpoints_OnOurPort_AndOutlastsTheStopTimeout()
    {
        var deployment = ByKind()["Deployment/provisioning-consumer"];
        var pod = Node(deployment, "spec", "template", "spec");
        var container = Node(pod, "containers", 0);
        Assert.Equal("8091", Text(container, "ports", 0, "containerPort"));
        Assert.Contains("Urls=http://0.0.0.0:8091", await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Dockerfile")), StringComparison.Ordinal);
        Assert.Equal(["provisioning-consumer", "provisioning-consumer"],
            ((YamlSequenceNode)Node(container, "envFrom")).Select(e => ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)e).Children.Single().Value)["name"]).Value));

        using var http = new HttpClient { BaseAddress = system.Consumer.BaseAddress };
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            var path = Text(container, probe, "httpGet", "path");
            var status = (await http.GetAsync(path)).StatusCode;
            Assert.True(status is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.ServiceUnavailable, $"{probe} {path}: {status}");
        }
        Assert.Equal("/health/ready", Text(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/metrics", Text(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/path"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);

        var stop = system.Consumer.Services.GetRequiredService<IOptions<MassTransitHostOptions>>().Value.StopTimeout!.Value;
        Assert.True(int.Parse(Text(pod, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture) > stop.TotalSeconds,
            $"terminationGracePeriodSeconds must outlast the consumer's stop timeout ({stop})");
    }

    [Fact]
    public void TheConfigMapAndSecret_PassTheServicesOwnValidation()
    {
        var all = ByKind();
        var settings = Data(all["ConfigMap/provisioning-consumer"], "data").Concat(Data(all["Secret/provisioning-consumer"], "stringData"))
            .ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddProvisioningConsumer();
        builder.AddOperatorConsole();
        using var host = builder.Build();

        // Each throws OptionsValidationException, naming the setting, if the manifests configure it wrongly.
        Assert.Equal("ww0000000000000000", host.Services.GetRequiredService<IOptions<WeComOptions>>().Value.CorpId);
        Assert.Equal(IdempotencyProvider.Postgres, host.Services.GetRequiredService<IOptions<IdempotencyOptions>>().Value.Provider);
        Assert.Equal(IdempotencyProvider.Postgres, host.Services.GetRequiredService<IOptions<RequestLogOptions>>().Value.Provider);
        Assert.Equal(QueueType.Quorum, host.Services.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueueType);
        Assert.Single(host.Services.GetRequiredService<IOptions<OperatorOptions>>().Value.ApiKeys);
        Assert.False(host.Services.GetRequiredService<IOptions<OperatorOptions>>().Value.AllowLocalWithoutKey);
    }

    [Fact]
    public void KedaScales_TheDeployment_OnTheCreateQueue_WithinTheWeComRate()
    {
        var all = ByKind();
        var scaled = all["ScaledObject/provisioning-consumer"];
        Assert.Equal("provisioning-consumer", Text(scaled, "spec", "scaleTargetRef", "name"));
        var trigger = Node(scaled, "spec", "triggers", 0);
        Assert.Equal("rabbitmq", Text(trigger, "type"));
        Assert.Equal(CommandQueueNames.Queue(typeof(CreateMember)), Text(trigger, "metadata", "queueName"));
        Assert.Equal("QueueLength", Text(trigger, "metadata", "mode"));
        var authentication = all["TriggerAuthentication/" + Text(trigger, "authenticationRef", "name")];
        var secretRef = Node(authentication, "spec", "secretTargetRef", 0);
        Assert.Contains(Text(secretRef, "key"), Data(all["Secret/" + Text(secretRef, "name")], "stringData").Keys);

        // The README's arithmetic: WeCom allows 10,000 calls a minute per enterprise, whatever the number of replicas.
        var max = int.Parse(Text(scaled, "spec", "maxReplicaCount"), System.Globalization.CultureInfo.InvariantCulture);
        var min = int.Parse(Text(scaled, "spec", "minReplicaCount"), System.Globalization.CultureInfo.InvariantCulture);
        var perReplica = int.Parse(Data(all["ConfigMap/provisioning-consumer"], "data")["WeCom__Limits__CallsPerMinute"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(max * perReplica <= 10_000, $"{max} replicas × {perReplica} calls a minute exceed WeCom's 10,000");
        // A drain may evict a pod while another keeps consuming.
        var minAvailable = int.Parse(Text(all["PodDisruptionBudget/provisioning-consumer"], "spec", "minAvailable"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(min > minAvailable, "minReplicaCount must exceed the PodDisruptionBudget's minAvailable, or no node can be drained");
    }
}
