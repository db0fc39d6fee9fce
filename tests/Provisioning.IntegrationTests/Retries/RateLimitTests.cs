using Provisioning.IntegrationTests.Infrastructure;
using Provisioning.WeComSimulator;

namespace Provisioning.IntegrationTests.Retries;

/// <summary>10 calls per 2-second window on both sides: the simulator's limit and the consumer's.</summary>
public sealed class RateLimitedSystem : ProvisioningSystem
{
    protected override Dictionary<string, string?> ConsumerSettings => new()
    {
        ["WeCom:Limits:CallsPerMinute"] = "10",
        ["WeCom:Limits:RateWindow"] = "00:00:02",
    };
}

/// <summary>A backlog drains at the allowed pace without a single 45009.</summary>
public sealed class RateLimitTests(RateLimitedSystem system) : IClassFixture<RateLimitedSystem>
{
    [Fact]
    public async Task BacklogAgainstTheSameLimit_DrainsWithoutA45009()
    {
        await system.Simulator.SetFaultsAsync(new FaultSettings { PerMinuteLimit = 10, RateWindowSeconds = 2 });
        var commands = Enumerable.Range(0, 40).Select(_ => ProvisioningSystem.NewCommand("paced")).ToList();

        await Task.WhenAll(commands.Select(system.Publisher.PublishAsync));
        await Wait.For(() => system.Outcomes.Created.Count >= commands.Count ? "" : null, TimeSpan.FromSeconds(60), "40 MemberCreated");

        var ledger = await system.Simulator.LedgerAsync();
        Assert.Equal(40, ledger.Members.Count);
        Assert.False(ledger.ErrorAnswers.ContainsKey(45009), $"45009 answered {ledger.ErrorAnswers.GetValueOrDefault(45009)} times");
        Assert.All(system.Outcomes.Created, c => Assert.Equal(1, c.Attempts));
    }
}
