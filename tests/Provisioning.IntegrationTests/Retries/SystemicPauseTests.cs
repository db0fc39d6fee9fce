using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Retries;

/// <summary>Probes quickly, so a systemic pause and its end take seconds.</summary>
public sealed class QuickProbeSystem : ProvisioningSystem
{
    protected override Dictionary<string, string?> ConsumerSettings => new()
    {
        ["WeCom:Limits:ProbeInitialDelay"] = "00:00:00.200",
        ["WeCom:Limits:ProbeMaxDelay"] = "00:00:03",
    };
}

/// <summary>A wrong secret stops consumption without failing a single queued command; fixing it resumes everything.</summary>
public sealed class SystemicPauseTests(QuickProbeSystem system) : IClassFixture<QuickProbeSystem>
{
    [Fact]
    public async Task WrongSecretWith200Queued_PausesReportsUnhealthyFailsNothing_ThenAllSucceedOnceFixed()
    {
        // The consumer checked its credentials at start and holds a token: an admin rotates the secret and WeCom
        // revokes the tokens issued with the old one.
        await system.Simulator.SetSecretAsync("rotated-by-an-admin");
        await system.Simulator.RevokeTokensAsync();
        var commands = Enumerable.Range(0, 200).Select(_ => ProvisioningSystem.NewCommand("paused")).ToList();
        await Task.WhenAll(commands.Select(system.Publisher.PublishAsync));

        var health = system.Consumer.Services.GetRequiredService<HealthCheckService>();
        HealthReport? report = null;
        await Wait.Until(async () => (report = await health.CheckHealthAsync()).Status == HealthStatus.Unhealthy, null, "the consumer to report unhealthy");
        var tokensAtPause = (await system.Simulator.LedgerAsync()).GetTokenCalls;
        await Wait.Until(async () => (await system.Simulator.LedgerAsync()).GetTokenCalls >= tokensAtPause + 2, null, "two probes");

        Assert.Contains("40001", report!.Entries["wecom"].Description, StringComparison.Ordinal);
        Assert.DoesNotContain(system.Simulator.Secret, report.Entries["wecom"].Description, StringComparison.Ordinal);
        Assert.Empty(system.Outcomes.Failed);
        Assert.Empty(system.Outcomes.Created);
        Assert.Empty((await system.Simulator.LedgerAsync()).Members);
        // Every command waits in the broker, in the enterprise's lane (with one enterprise: the input queue, and its lane
        // queue for the commands held back), which has stopped consuming: none is held unacknowledged for the length of
        // the pause.
        const string lane = "create-member." + Simulator.CorpId;
        await Wait.Until(async () => await system.Broker.ReadyCountAsync("create-member") + await system.Broker.ReadyCountAsync(lane) == 200
            && await system.Broker.ConsumerCountAsync("create-member") + await system.Broker.ConsumerCountAsync(lane) == 0,
            null, "all 200 commands ready in the stopped lane");
        Assert.Single(system.Consumer.Logs.Lines, l => l.Contains("Consumption for corp", StringComparison.Ordinal));

        await system.Simulator.SetSecretAsync(system.Simulator.Secret);
        await Wait.For(() => system.Outcomes.Created.Count >= 200 ? "" : null, TimeSpan.FromSeconds(90), "200 MemberCreated");

        Assert.Empty(system.Outcomes.Failed);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        Assert.Equal(200, (await system.Simulator.LedgerAsync()).Members.Count);
    }
}
