using Provisioning.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.IntegrationTests.Chaos;

/// <summary>The chaos runs take the machine's cores for a minute each: they run alone, after the other tests.</summary>
[CollectionDefinition(nameof(ChaosTests), DisableParallelization = true)]
public sealed class ChaosCollection;

/// <summary>
/// Crashes and outages while 2,000 commands (and 200 duplicate deliveries) are consumed by two consumer processes,
/// each SIGKILLed and restarted every few seconds: nothing lost, no one created twice, every request one kind of outcome.
/// Each run has its own broker node(s) or database, since they are restarted or killed under it.
/// </summary>
[Collection(nameof(ChaosTests))]
public sealed class ChaosTests(ITestOutputHelper output)
{
    static Dictionary<string, string> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            // A dead consumer's claims are taken over quickly, parked commands come back quickly.
            ["Idempotency__LeaseDuration"] = "00:00:05",
            ["Retry__Delays__0"] = "1s",
            ["Retry__Delays__1"] = "2s",
            ["Retry__Delays__2"] = "5s",
            ["Retry__Delays__3"] = "10s",
            // 50 creates a second per consumer: the run lasts long enough for the chaos to hit it.
            ["WeCom__Limits__CallsPerMinute"] = "3000",
        };
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    static void AssertClean(ChaosFigures figures)
    {
        Assert.Equal(0, figures.Lost);
        Assert.Equal(0, figures.DuplicateMembers);
        Assert.Equal(0, figures.DisagreeingRequests);
        Assert.Equal(0, figures.FailedOutcomes);
        Assert.True(figures.Kills >= 3, $"only {figures.Kills} kills: the run was too short to prove anything");
    }

    [Fact]
    public async Task ConsumersKilledAndBrokerRestarted_SqliteStore_NothingLostNoDuplicates()
    {
        await ChaosServices.EnsureSingleNodeAsync();
        await using var broker = await TestBroker.CreateAsync(ChaosServices.SingleNode, "chaos");
        await using var simulator = await Simulator.StartAsync(new() { ["Simulator:Faults:LatencyMs"] = "20", ["Simulator:Faults:LatencyJitterMs"] = "30" });
        var database = Path.Combine(Path.GetTempPath(), $"provisioning-chaos-{Guid.NewGuid():N}.db");
        try
        {
            var figures = await new ChaosRun(broker, simulator, output)
            {
                ConsumerSettings = Settings(("Idempotency__SqlitePath", database)),
                Halfway = () => ChaosServices.RestartBrokerAsync("chaos-1@localhost"),
            }.RunAsync();

            AssertClean(figures);
        }
        finally
        {
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
                File.Delete(file);
        }
    }

    [Fact]
    public async Task ConsumersKilledAndPostgresRestarted_PostgresStore_NothingLostNoDuplicates()
    {
        await ChaosServices.EnsurePostgresAsync();
        await using var broker = await TestBroker.CreateAsync(prefix: "chaos-pg");
        await using var database = await TestPostgres.CreateAsync(ChaosServices.PostgresServer);
        await using var simulator = await Simulator.StartAsync(new() { ["Simulator:Faults:LatencyMs"] = "20", ["Simulator:Faults:LatencyJitterMs"] = "30" });

        var figures = await new ChaosRun(broker, simulator, output)
        {
            ConsumerSettings = Settings(("Idempotency__Provider", "Postgres"), ("ConnectionStrings__Idempotency", database.ConnectionString)),
            Halfway = () => ChaosServices.RestartPostgresAsync(TimeSpan.FromSeconds(3)),
        }.RunAsync();

        AssertClean(figures);
    }

    [Fact]
    public async Task ClusterWithQuorumQueues_LeaderNodeKilled_NothingLostNoDuplicates()
    {
        await ChaosServices.EnsureClusterAsync();
        var nodes = ChaosServices.Cluster;
        await using var broker = await TestBroker.CreateAsync(nodes[0], "chaos-quorum");
        await using var simulator = await Simulator.StartAsync(new() { ["Simulator:Faults:LatencyMs"] = "20", ["Simulator:Faults:LatencyJitterMs"] = "30" });
        var database = Path.Combine(Path.GetTempPath(), $"provisioning-chaos-{Guid.NewGuid():N}.db");
        var lane = $"create-member.{Simulator.CorpId}";
        try
        {
            var figures = await new ChaosRun(broker, simulator, output)
            {
                // The test's own connection fails over like the consumers' when its node is the one killed.
                ClientNodes = nodes,
                Quorum = true,
                // A consumer that first tries the dead node waits for MassTransit's reconnect delay: give each one time to work.
                KillEvery = TimeSpan.FromSeconds(5),
                ConsumerSettings = Settings(
                    ("Idempotency__SqlitePath", database),
                    ("RabbitMq__QueueType", "Quorum"),
                    ("RabbitMq__ClusterNodes__0", $"{nodes[1].Host}:{nodes[1].AmqpPort}"),
                    ("RabbitMq__ClusterNodes__1", $"{nodes[2].Host}:{nodes[2].AmqpPort}")),
                Halfway = async () =>
                {
                    var leader = await broker.QueueLeaderAsync(lane);
                    output.WriteLine($"killing {leader}, the leader of {lane}");
                    await ChaosServices.KillNodeAsync(leader.Split('@')[0]);
                },
            }.RunAsync();

            AssertClean(figures);
        }
        finally
        {
            // The killed node rejoins, for the next run.
            await ChaosServices.EnsureClusterAsync();
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
                File.Delete(file);
        }
    }
}
