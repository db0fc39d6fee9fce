using System.Collections.Concurrent;
using System.Diagnostics;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Isolation;

/// <summary>
/// Two enterprises on one consumer: one paused or backlogged enterprise never holds up the other's commands
/// (each has its own lane queue), and a paused one's commands wait in the broker, unfailed, until it resumes.
/// </summary>
public sealed class EnterpriseIsolationTests() : SystemPerTest(new SystemOptions
{
    SimulatorSettings = new() { [$"Simulator:Corps:{CorpB}"] = SecretB },
    Consumer = false,
})
{
    const string CorpA = Simulator.CorpId;
    const string CorpB = "ww-corp-b";
    const string SecretB = "secret-of-b";

    Task<ConsumerHost> StartConsumer(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            [$"WeCom:Corps:{CorpB}:CorpSecret"] = SecretB,
            ["WeCom:Limits:ProbeInitialDelay"] = "00:00:00.500",
            ["WeCom:Limits:ProbeMaxDelay"] = "00:00:03",
        };
        foreach (var (key, value) in settings ?? [])
            all[key] = value;
        return Sys.StartConsumerAsync(all);
    }

    static List<CreateMember> Commands(string corpId, int count) =>
        Enumerable.Range(0, count).Select(_ => ProvisioningSystem.NewCommand(corpId == CorpA ? "a" : "b") with { CorpId = corpId }).ToList();

    /// <summary>Publishes B's commands and returns how long each took from its publish to its outcome.</summary>
    async Task<List<TimeSpan>> PublishAndTimeAsync(List<CreateMember> commands, TimeSpan timeout)
    {
        var started = new ConcurrentDictionary<Guid, long>();
        foreach (var command in commands)
        {
            started[command.RequestId] = Stopwatch.GetTimestamp();
            await Sys.Publisher.PublishAsync(command);
        }
        var latencies = new List<TimeSpan>();
        foreach (var command in commands)
        {
            await Sys.Outcomes.CreatedFor(command.RequestId, timeout);
            latencies.Add(Stopwatch.GetElapsedTime(started[command.RequestId]));
        }
        return latencies;
    }

    [Fact]
    public async Task PausedEnterpriseWith300Queued_OtherEnterpriseFlows_PausedOnesWaitInTheBrokerUntilFixed()
    {
        // A's secret was rotated by an admin: the consumer's start-up check finds out before any command arrives.
        await Sys.Simulator.SetSecretAsync(CorpA, "rotated");
        await using var consumer = await StartConsumer();
        var laneA = $"create-member.{CorpA}";
        await Wait.Until(async () => await Sys.Broker.ConsumerCountAsync(laneA) == 0, null, "A's lane to stop consuming");

        var commandsA = Commands(CorpA, 300);
        await Task.WhenAll(commandsA.Select(Sys.Publisher.PublishAsync));
        var latencies = await PublishAndTimeAsync(Commands(CorpB, 20), TimeSpan.FromSeconds(30));

        Assert.True(latencies.Max() < TimeSpan.FromSeconds(10), $"B's slowest command took {latencies.Max().TotalSeconds:F1} s");
        await Wait.Until(async () => await Sys.Broker.ReadyCountAsync(laneA) == 300, null, "all of A's commands ready in its lane");
        Assert.Empty(Sys.Outcomes.Failed);
        Assert.DoesNotContain(Sys.Outcomes.Created, c => c.CorpId == CorpA);

        await Sys.Simulator.SetSecretAsync(CorpA, Sys.Simulator.Secret);
        await Wait.For(() => Sys.Outcomes.Created.Count(c => c.CorpId == CorpA) >= 300 ? "" : null, TimeSpan.FromSeconds(90), "A's 300 MemberCreated");
        Assert.Empty(Sys.Outcomes.Failed);
        Assert.Equal(320, (await Sys.Simulator.LedgerAsync()).Members.Count);
    }

    [Fact]
    public async Task BackloggedEnterpriseAtItsRateLimit_DoesNotHoldTheOtherBehindIt()
    {
        // Each enterprise may make 10 calls a second: A's 300 take half a minute, B's 20 two seconds.
        await using var consumer = await StartConsumer(new()
        {
            ["WeCom:Limits:CallsPerMinute"] = "200",
            ["WeCom:Limits:RateWindow"] = "00:00:20",
        });

        var commandsA = Commands(CorpA, 300);
        await Task.WhenAll(commandsA.Select(Sys.Publisher.PublishAsync));
        var latencies = await PublishAndTimeAsync(Commands(CorpB, 20), TimeSpan.FromSeconds(30));

        Assert.True(latencies.Max() < TimeSpan.FromSeconds(10), $"B's slowest command took {latencies.Max().TotalSeconds:F1} s");
        var createdA = Sys.Outcomes.Created.Count(c => c.CorpId == CorpA);
        Assert.True(createdA < 300, $"A's backlog was already done ({createdA}): the test proves nothing");
        await Wait.For(() => Sys.Outcomes.Created.Count(c => c.CorpId == CorpA) >= 300 ? "" : null, TimeSpan.FromSeconds(90), "A's 300 MemberCreated");
        Assert.Empty(Sys.Outcomes.Failed);
        Assert.Equal(0, (await Sys.Simulator.LedgerAsync()).ErrorAnswers.GetValueOrDefault(45009));
    }
}
