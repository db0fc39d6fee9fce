using Microsoft.Extensions.DependencyInjection;
using Provisioning.WeCom;
using Provisioning.IntegrationTests.Infrastructure;
using Provisioning.WeComSimulator;

namespace Provisioning.IntegrationTests.Throughput;

/// <summary>100 calls a second allowed; the simulator's calls take 400 ms.</summary>
public sealed class SlowWeComSystem : ProvisioningSystem
{
    protected override Dictionary<string, string?> ConsumerSettings => new()
    {
        ["WeCom:Limits:CallsPerMinute"] = "100",
        ["WeCom:Limits:RateWindow"] = "00:00:01",
    };
}

/// <summary>The adaptive concurrency against a real broker and a WeCom stand-in with latency or a concurrency limit.</summary>
public sealed class AdaptiveConcurrencyTests(SlowWeComSystem system) : IClassFixture<SlowWeComSystem>
{
    [Fact]
    public async Task SlowWeCom_SlotsGrowToWhatTheRateNeeds_WithoutA45009()
    {
        // WeCom's window is counted where calls arrive, ours where they leave: on a busy machine a call's way there varies
        // by tens of ms, so a window of ours can land across two of WeCom's. 10 % of room stands for the 9,900 of 10,000
        // a minute that the defaults keep.
        await system.Simulator.SetFaultsAsync(new FaultSettings { LatencyMs = 400, PerMinuteLimit = 110, RateWindowSeconds = 1 });
        var pace = system.Consumer.Services.GetRequiredService<WeComThrottle>().Pace(Simulator.CorpId);
        var commands = Enumerable.Range(0, 300).Select(_ => ProvisioningSystem.NewCommand("slow")).ToList();

        await Task.WhenAll(commands.Select(system.Publisher.PublishAsync));
        await Wait.For(() => system.Outcomes.Created.Count >= commands.Count ? "" : null, TimeSpan.FromSeconds(90), "300 MemberCreated");

        // 98 calls a second (the bucket's pace) × 0.4 s per call, with headroom: about 48 slots; the 21 it starts
        // with would reach only about 50 calls a second.
        Assert.InRange(pace.Limit, 40, 256);
        var ledger = await system.Simulator.LedgerAsync();
        Assert.Empty(system.Outcomes.Failed);
        Assert.False(ledger.ErrorAnswers.ContainsKey(45009), $"45009 answered {ledger.ErrorAnswers.GetValueOrDefault(45009)} times");
        Assert.All(system.Outcomes.Created, c => Assert.Equal(1, c.Attempts));
    }
}

/// <summary>WeCom allows 5 concurrent calls and answers 45033 beyond; the consumer's defaults.</summary>
public sealed class ConcurrencyLimitedSystem : ProvisioningSystem
{
    protected override Dictionary<string, string?> ConsumerSettings => new()
    {
        ["WeCom:Limits:ConcurrencyLimitedPause"] = "00:00:00.500",
    };
}

public sealed class ConcurrencyStormTests(ConcurrencyLimitedSystem system) : IClassFixture<ConcurrencyLimitedSystem>
{
    [Fact]
    public async Task WeComAnswers45033_SlotsSettleAtItsLimit_NoCommandFails()
    {
        await system.Simulator.SetFaultsAsync(new FaultSettings { LatencyMs = 100, ConcurrencyLimit = 5 });
        var pace = system.Consumer.Services.GetRequiredService<WeComThrottle>().Pace(Simulator.CorpId);
        var commands = Enumerable.Range(0, 300).Select(_ => ProvisioningSystem.NewCommand("storm")).ToList();

        await Task.WhenAll(commands.Select(system.Publisher.PublishAsync));
        await Wait.For(() => system.Outcomes.Created.Count >= commands.Count ? "" : null, TimeSpan.FromSeconds(120), "300 MemberCreated");

        var ledger = await system.Simulator.LedgerAsync();
        Assert.True(ledger.ErrorAnswers.GetValueOrDefault(45033) > 0, "the storm never happened: no 45033");
        // Each burst of 45033 took a quarter off; it ends at or below WeCom's 5.
        Assert.InRange(pace.Limit, 4, 5);
        Assert.NotNull(pace.Ceiling);
        Assert.Empty(system.Outcomes.Failed);
        Assert.Equal(300, ledger.Members.Count);
    }
}
