using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Console;

/// <summary>
/// The whole system with the consumer's HTTP API and console, two API keys (a reader and an operator), no local
/// operator (every request must bring a key), and short retry tiers so that a command reaches the error queue in seconds.
/// </summary>
public sealed class OperatorSystem : ProvisioningSystem
{
    public const string ReaderKey = "reader-key-0123456789abcdef";
    public const string OperatorKey = "operator-key-0123456789abcdef";

    protected override bool Web => true;

    protected override Dictionary<string, string?> ConsumerSettings => new()
    {
        ["Consumer:RetryLimit"] = "1",
        ["Retry:Delays:0"] = "00:00:01",
        ["Retry:Delays:1"] = "00:00:01",
        ["WeCom:Timeout"] = "00:00:02",
        ["Operator:AllowLocalWithoutKey"] = "false",
        // One disable an hour: the second is held for an operator (the held-release test; the other tests only create).
        ["Lifecycle:DeletionThreshold"] = "1",
        ["Lifecycle:DeletionWindow"] = "01:00:00",
        ["Operator:ApiKeys:0:Name"] = "rita-reader",
        ["Operator:ApiKeys:0:Key"] = ReaderKey,
        ["Operator:ApiKeys:0:Role"] = "reader",
        ["Operator:ApiKeys:1:Name"] = "otto-operator",
        ["Operator:ApiKeys:1:Key"] = OperatorKey,
        ["Operator:ApiKeys:1:Role"] = "operator",
    };

    /// <summary>An HTTP client for the consumer, with the given key (none: anonymous); redirects are not followed.</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Consumer.BaseAddress };
        if (key is not null)
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
