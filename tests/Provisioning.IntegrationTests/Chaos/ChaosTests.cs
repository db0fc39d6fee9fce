using Provisioning.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.IntegrationTests.Chaos;

/// <summary>
/// The chaos runs take the machine's cores for a minute each: they run alone, after the other tests. The throw-away
/// services they start are stopped after the collection's last test (<see cref="ThrowawayServices"/>).
/// </summary>
[CollectionDefinition(nameof(ChaosTests), DisableParallelization = true)]
public sealed class ChaosCollection : ICollectionFixture<ThrowawayServices>;

/// <summary>Stops the throw-away RabbitMQ nodes and PostgreSQL that the collection's tests started, also when one failed.</summary>
public sealed class ThrowawayServices : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => ChaosServices.StopStartedAsync();
}

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
            ["Storage__LeaseDuration"] = "00:00:05",
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

    /// <summary>A system on <paramref name="node"/> (the shared broker when null) with a WeCom that answers slowly, no consumer: the run starts its own.</summary>
    static Task<ProvisioningSystem> StartAsync(BrokerNode? node, string prefix) => ProvisioningSystem.StartAsync(new()
    {
        Node = node,
        VirtualHostPrefix = prefix,
        SimulatorSettings = new() { ["Simulator:Faults:LatencyMs"] = "20", ["Simulator:Faults:LatencyJitterMs"] = "30" },
        Consumer = false,
        // The run reads outcomes from a durable queue of its own, over a connection that fails over between nodes.
        Clients = false,
    });

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
        await using var system = await StartAsync(ChaosServices.SingleNode, "chaos");

        var figures = await new ChaosRun(system, output)
        {
            ConsumerSettings = Settings(("Storage__SqlitePath", Path.Combine(system.Folder, "idempotency.db"))),
            Halfway = () => ChaosServices.RestartBrokerAsync("chaos-1@localhost"),
        }.RunAsync();

        AssertClean(figures);
    }

    [Fact]
    public async Task ConsumersKilledAndPostgresRestarted_PostgresStore_NothingLostNoDuplicates()
    {
        await ChaosServices.EnsurePostgresAsync();
        await using var system = await StartAsync(null, "chaos-pg");
        var database = await system.CreateDatabaseAsync(ChaosServices.PostgresServer);

        var figures = await new ChaosRun(system, output)
        {
            ConsumerSettings = Settings(("Storage__Provider", "Postgres"), ("ConnectionStrings__Idempotency", database.ConnectionString)),
            Halfway = () => ChaosServices.RestartPostgresAsync(TimeSpan.FromSeconds(3)),
        }.RunAsync();

        AssertClean(figures);
    }

    [Fact]
    public async Task ClusterWithQuorumQueues_LeaderNodeKilled_NothingLostNoDuplicates()
    {
        await ChaosServices.EnsureClusterAsync();
        var nodes = ChaosServices.Cluster;
        await using var system = await StartAsync(nodes[0], "chaos-quorum");
        var lane = $"create-member.{Simulator.CorpId}";
        try
        {
            var figures = await new ChaosRun(system, output)
            {
                // The test's own connection fails over like the consumers' when its node is the one killed.
                ClientNodes = nodes,
                Quorum = true,
                // A consumer that first tries the dead node waits for MassTransit's reconnect delay: give each one time to work.
                KillEvery = TimeSpan.FromSeconds(5),
                ConsumerSettings = Settings(
                    ("Storage__SqlitePath", Path.Combine(system.Folder, "idempotency.db")),
                    ("RabbitMq__QueueType", "Quorum"),
                    ("RabbitMq__ClusterNodes__0", $"{nodes[1].Host}:{nodes[1].AmqpPort}"),
                    ("RabbitMq__ClusterNodes__1", $"{nodes[2].Host}:{nodes[2].AmqpPort}")),
                Halfway = async () =>
                {
                    var leader = await system.Broker.QueueLeaderAsync(lane);
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
        }
    }
}
