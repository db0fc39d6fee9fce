using System.Collections.Concurrent;
using System.Diagnostics;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests;

/// <summary>The secret and access tokens never reach a log line (at any level) or an event; mobiles are not logged in clear.</summary>
public sealed class SecretHygieneTests(ProvisioningSystem system) : IClassFixture<ProvisioningSystem>, IDisposable
{
    readonly ConcurrentQueue<string> _spans = new();
    ActivityListener? _listener;

    [Fact]
    public async Task FullRun_WithTokenRefreshAndRejection_LeaksNoSecretTokenOrMobile()
    {
        // Every span of every source in this process, with its tags, as an exporter would see it.
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _spans.Enqueue($"{activity.Source.Name} {activity.DisplayName} " +
                string.Join(' ', activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))),
        };
        ActivitySource.AddActivityListener(_listener);

        var ok = ProvisioningSystem.NewCommand("hygiene");
        await system.Publisher.PublishAsync(ok);
        await system.Outcomes.CreatedFor(ok.RequestId);
        await system.Simulator.RevokeTokensAsync();
        var conflict = ProvisioningSystem.NewCommand("hygiene") with { Mobile = ok.Mobile };
        await system.Publisher.PublishAsync(conflict);
        await system.Outcomes.FailedFor(conflict.RequestId);

        var logs = system.Consumer.Logs.All();
        var events = string.Join('\n', system.Outcomes.Raw);
        var traces = string.Join('\n', _spans);
        Assert.Contains(ok.UserId, logs, StringComparison.Ordinal);
        Assert.Contains("/cgi-bin/user/create", traces, StringComparison.Ordinal);
        foreach (var text in new[] { logs, events, traces })
        {
            Assert.DoesNotContain(system.Simulator.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("access_token=", text, StringComparison.Ordinal);
            Assert.DoesNotContain("corpsecret", text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain(ok.Mobile!, logs, StringComparison.Ordinal);
    }

    public void Dispose() => _listener?.Dispose();
}
