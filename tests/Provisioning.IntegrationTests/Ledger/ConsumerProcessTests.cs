using Provisioning.IntegrationTests.Infrastructure;
using Provisioning.WeComSimulator;

namespace Provisioning.IntegrationTests.Ledger;

/// <summary>Consumers as real processes: competing replicas on one queue, and a replica killed in the middle of a create.</summary>
public sealed class ConsumerProcessTests
{
    [Fact]
    public async Task TwoReplicasSharingPostgres_500CommandsWith20PercentDuplicates_CreateEachUserOnce()
    {
        await using var system = await ProvisioningSystem.StartAsync(new() { Consumer = false });
        var database = await system.CreateDatabaseAsync();
        var (simulator, outcomes, publisher) = (system.Simulator, system.Outcomes, system.Publisher);
        await simulator.SetFaultsAsync(new FaultSettings { LatencyMs = 5, LatencyJitterMs = 20 });
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["ConnectionStrings__Idempotency"] = database.ConnectionString,
            ["Storage__LeaseDuration"] = "00:00:30",
        };
        var first = await system.StartConsumerProcessAsync(settings);
        var second = await system.StartConsumerProcessAsync(settings);

        var distinct = Enumerable.Range(0, 400).Select(_ => ProvisioningSystem.NewCommand("replica")).ToList();
        var duplicates = Enumerable.Range(0, 100).Select(i => distinct[i * 4]).ToList();
        var all = distinct.Concat(duplicates).OrderBy(_ => Random.Shared.Next()).ToList();
        await Task.WhenAll(all.Select(publisher.PublishAsync));

        await Wait.For(() => outcomes.Created.Count + outcomes.Failed.Count >= all.Count ? "" : null, TimeSpan.FromMinutes(2),
            $"{all.Count} outcomes (have {outcomes.Created.Count + outcomes.Failed.Count})\n{first.Output}\n{second.Output}");

        Assert.Empty(outcomes.Failed);
        Assert.All(distinct, c => Assert.Equal(all.Count(a => a.RequestId == c.RequestId), outcomes.CountFor(c.RequestId)));
        var ledger = await simulator.LedgerAsync();
        Assert.Equal(400, ledger.Members.Count);
        Assert.All(distinct, c => Assert.Equal(1, ledger.CallsFor(c.UserId)));
        Assert.False(first.HasExited || second.HasExited);
    }

    [Fact]
    public async Task ReplicaKilledMidCreate_AfterRestartTheCommandEndsInOneMemberCreated()
    {
        await using var system = await ProvisioningSystem.StartAsync(new() { Consumer = false });
        var (broker, simulator, outcomes, publisher) = (system.Broker, system.Simulator, system.Outcomes, system.Publisher);
        var settings = new Dictionary<string, string>
        {
            // The successor finds the killed replica's claim in the store they share.
            ["Storage__SqlitePath"] = Path.Combine(system.Folder, "kill.db"),
            ["Storage__LeaseDuration"] = "00:00:03",
            ["WeCom__Timeout"] = "00:00:30",
        };
        var command = ProvisioningSystem.NewCommand("killed");

        // WeCom creates the member but answers late; the replica dies before it hears back.
        await simulator.SetFaultsAsync(new FaultSettings { SlowSuccessMs = 20_000 });
        await using (var doomed = await system.StartConsumerProcessAsync(settings))
        {
            await publisher.PublishAsync(command);
            await Wait.Until(async () => (await simulator.LedgerAsync()).Members.Any(m => m.UserId == command.UserId), null, "the member to exist in WeCom");
            doomed.Kill();
        }
        await Wait.Until(async () => await broker.ConsumerCountAsync("create-member") == 0, null, "the broker to notice the dead replica");
        await simulator.SetFaultsAsync(new FaultSettings());

        await system.StartConsumerProcessAsync(settings);
        var created = await outcomes.CreatedFor(command.RequestId, TimeSpan.FromSeconds(60));

        Assert.True(created.AlreadyExisted);
        Assert.True(created.Attempts >= 2);
        Assert.Empty(outcomes.Failed);
        var ledger = await simulator.LedgerAsync();
        Assert.Single(ledger.Members, m => m.UserId == command.UserId);
        Assert.Equal(1, outcomes.CountFor(command.RequestId));
    }
}
