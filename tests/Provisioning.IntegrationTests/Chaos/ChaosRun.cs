using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using Provisioning.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.IntegrationTests.Chaos;

/// <summary>What a chaos run ended with.</summary>
internal sealed record ChaosFigures(int Commands, int DuplicateDeliveries, int Lost, int DuplicateMembers, int DisagreeingRequests,
    int FailedOutcomes, int Kills, TimeSpan Drain, TimeSpan Total)
{
    public override string ToString() =>
        $"{Commands} commands + {DuplicateDeliveries} duplicate deliveries, {Kills} consumer SIGKILLs: lost {Lost}, duplicate members {DuplicateMembers}, " +
        $"requests with disagreeing outcomes {DisagreeingRequests}, failed outcomes {FailedOutcomes}, drained {Drain.TotalSeconds:F1} s after the chaos stopped, " +
        $"{Total.TotalSeconds:F1} s in all";
}

/// <summary>
/// Two consumer processes sharing one idempotency store, each SIGKILLed and restarted in turn every few seconds while
/// thousands of commands (and duplicate deliveries of some) are consumed; once, halfway, something bigger fails (the
/// broker, the database, a cluster node). Outcomes are collected in a durable queue, so none is missed while the
/// broker is down; at the end every request must have outcomes of one kind and every person exactly one member.
/// </summary>
internal sealed class ChaosRun(ProvisioningSystem system, ITestOutputHelper output)
{

    const string OutcomeQueue = "chaos-outcomes";

    /// <summary>Every node the test may publish to and read outcomes from: its connection recovers to another one.</summary>
    public IReadOnlyList<BrokerNode> ClientNodes { get; init; } = [system.Broker.Node];

    public bool Quorum { get; init; }

    public int Commands { get; init; } = 2000;

    public int DuplicateDeliveries { get; init; } = 200;

    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(3);

    public required Dictionary<string, string> ConsumerSettings { get; init; }

    /// <summary>The bigger failure, run once when half the members exist.</summary>
    public required Func<Task> Halfway { get; init; }

    public async Task<ChaosFigures> RunAsync()
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await new ConnectionFactory { Uri = system.Broker.AmqpUri, AutomaticRecoveryEnabled = true, NetworkRecoveryInterval = TimeSpan.FromSeconds(1) }
            .CreateConnectionAsync(ClientNodes.Select(node => new AmqpTcpEndpoint(node.Host, node.AmqpPort)).ToList());
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.QueueDeclareAsync(OutcomeQueue, durable: true, exclusive: false, autoDelete: false,
            Quorum ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null);
        foreach (var exchange in new[] { "Provisioning.Contracts:MemberCreated", "Provisioning.Contracts:MemberCreationFailed" })
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(OutcomeQueue, exchange, "");
        }

        var environment = system.ConsumerEnvironment(ConsumerSettings);
        environment["Logging__LogLevel__Default"] = "Information";
        // The system kills whichever consumers still run when it is disposed, also if starting the second one fails.
        var consumers = new[] { await system.StartConsumerProcessAsync(ConsumerSettings), await system.StartConsumerProcessAsync(ConsumerSettings) };
        try
        {
            var commands = Enumerable.Range(0, Commands).Select(_ => ProvisioningSystem.NewCommand("chaos")).ToList();
            var deliveries = commands.Concat(commands.OrderBy(_ => Random.Shared.Next()).Take(DuplicateDeliveries)).ToList();
            foreach (var command in deliveries)
            {
                await channel.BasicPublishAsync(Publisher.CommandExchange, "", mandatory: true,
                    new BasicProperties { ContentType = "application/json", Persistent = true, MessageId = Guid.NewGuid().ToString() },
                    JsonSerializer.SerializeToUtf8Bytes(command, JsonSerializerOptions.Web));
            }

            // Chaos until every person exists in WeCom, and for three kills at least: a fast drain (2,000 members in under
            // 9 s on a quiet machine) must not end the run before it proved anything; later kills still meet duplicates
            // and outcomes in flight.
            var kills = 0;
            var pastOutput = new List<string>();
            var halfwayDone = false;
            var chaosEnded = Stopwatch.GetTimestamp();
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while ((await system.Simulator.LedgerAsync()).Members.Count < Commands || kills < 3)
            {
                if (DateTime.UtcNow > deadline)
                {
                    var members = (await system.Simulator.LedgerAsync()).Members.Select(m => m.UserId.ToLowerInvariant()).ToHashSet();
                    var missing = commands.Where(c => !members.Contains(c.UserId.ToLowerInvariant())).Take(5).Select(c => $"{c.UserId} {c.RequestId}");
                    var problems = pastOutput.Append(consumers[0].Output).Append(consumers[1].Output)
                        .SelectMany(o => o.Split('\n')).Where(l => l.StartsWith("fail", StringComparison.Ordinal) || l.StartsWith("warn", StringComparison.Ordinal)).Distinct().Take(60);
                    throw new TimeoutException($"Only {members.Count} of {Commands} members after 4 minutes of chaos; missing: {string.Join(", ", missing)}; " +
                        $"error queue: {await system.Broker.ReadyCountAsync("create-member_error")}\n{string.Join('\n', problems)}");
                }
                await Task.Delay(KillEvery);
                var victim = kills % 2;
                consumers[victim].Kill();
                await consumers[victim].DisposeAsync();
                pastOutput.Add(consumers[victim].Output);
                consumers[victim] = system.LaunchConsumerProcess(environment);
                kills++;
                if (!halfwayDone && (await system.Simulator.LedgerAsync()).Members.Count >= Commands / 2)
                {
                    halfwayDone = true;
                    output.WriteLine($"halfway ({(await system.Simulator.LedgerAsync()).Members.Count} members): the bigger failure");
                    await Halfway();
                }
                chaosEnded = Stopwatch.GetTimestamp();
            }
            if (!halfwayDone)
                await Halfway();

            // Every request answered: drain the outcome queue.
            var kinds = new Dictionary<Guid, HashSet<string>>();
            var failed = 0;
            var drainDeadline = DateTime.UtcNow.AddMinutes(2);
            while (commands.Any(c => !kinds.ContainsKey(c.RequestId)) && DateTime.UtcNow < drainDeadline)
            {
                BasicGetResult? result;
                try
                {
                    result = await channel.BasicGetAsync(OutcomeQueue, autoAck: true);
                }
                catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    // The node this connection was on was the one killed: it recovers to another node.
                    await Task.Delay(500);
                    continue;
                }
                if (result is null)
                {
                    await Task.Delay(100);
                    continue;
                }
                using var envelope = JsonDocument.Parse(result.Body);
                var requestId = envelope.RootElement.GetProperty("message").GetProperty("requestId").GetGuid();
                var kind = result.Exchange.EndsWith("Failed", StringComparison.Ordinal) ? "failed" : "created";
                if (kind == "failed")
                {
                    failed++;
                    output.WriteLine("failed: " + Encoding.UTF8.GetString(result.Body.Span));
                }
                (kinds.TryGetValue(requestId, out var set) ? set : kinds[requestId] = []).Add(kind);
            }
            var drain = Stopwatch.GetElapsedTime(chaosEnded);

            var ledger = await system.Simulator.LedgerAsync();
            var ours = commands.Select(c => c.UserId.ToLowerInvariant()).ToHashSet();
            var figures = new ChaosFigures(
                Commands, DuplicateDeliveries,
                Lost: commands.Count(c => !kinds.ContainsKey(c.RequestId)) + Math.Max(0, Commands - ledger.Members.Count),
                DuplicateMembers: ledger.Members.Count - ledger.Members.Select(m => m.UserId.ToLowerInvariant()).Distinct().Count()
                    + ledger.Members.Count(m => !ours.Contains(m.UserId.ToLowerInvariant())),
                DisagreeingRequests: kinds.Count(k => k.Value.Count > 1),
                FailedOutcomes: failed,
                Kills: kills,
                Drain: drain,
                Total: Stopwatch.GetElapsedTime(started));
            output.WriteLine(figures.ToString());
            return figures;
        }
        finally
        {
            foreach (var consumer in consumers)
                await consumer.DisposeAsync();
        }
    }
}
