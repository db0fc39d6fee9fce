using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Npgsql;
using Provisioning.Contracts;
using Provisioning.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Provisioning.Benchmark;

/// <summary>Runs one scenario end to end: publish → consumer(s) → simulator → outcome events, timed per command.</summary>
internal static class ScenarioRunner
{
    const string Corp = Simulator.CorpId;

    public static async Task<Result> RunAsync(Scenario scenario, BenchOptions options)
    {
        await using var broker = await TestBroker.CreateAsync(BrokerNode.Default with { Host = options.RabbitHost }, "bench");
        await using var simulator = await Simulator.StartAsync(new()
        {
            ["Simulator:Faults:LatencyMs"] = scenario.LatencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var database = scenario.Store == "Postgres" ? await CreateDatabaseAsync(options.Postgres!) : null;
        var sqlite = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.db");

        var arrivals = new ConcurrentDictionary<Guid, long>();
        var failed = 0;
        await using var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", false, true, true)).QueueName;
        foreach (var exchange in new[] { "Provisioning.Contracts:MemberCreated", "Provisioning.Contracts:MemberCreationFailed" })
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, exchange, "");
        }
        var listener = new AsyncEventingBasicConsumer(channel);
        listener.ReceivedAsync += (_, delivery) =>
        {
            var now = Stopwatch.GetTimestamp();
            if (delivery.Exchange.EndsWith("Failed", StringComparison.Ordinal))
                Interlocked.Increment(ref failed);
            using var envelope = System.Text.Json.JsonDocument.Parse(delivery.Body);
            var id = envelope.RootElement.GetProperty("message").GetProperty("requestId").GetGuid();
            arrivals.TryAdd(id, now);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, listener);

        await using var consumers = new ConsumerProcesses();
        await consumers.StartAsync(broker, scenario.Replicas, scenario.Baseline, new Dictionary<string, string>
        {
            ["WeCom__BaseUrl"] = simulator.BaseUrl.ToString(),
            ["WeCom__CorpId"] = Corp,
            ["WeCom__CorpSecret"] = simulator.Secret,
            ["Idempotency__Provider"] = scenario.Store,
            ["Idempotency__SqlitePath"] = sqlite,
            ["ConnectionStrings__Idempotency"] = database ?? "",
            ["WeCom__Limits__CallsPerMinute"] = scenario.RaisedLimits ? "10000000" : "9900",
        });
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(broker.AmqpUri));
        await bus.StartAsync();

        // Warm-up, not measured: JIT, connections, the first access token, the store's schema.
        var warmUp = Enumerable.Range(0, 50).Select(i => Command(-1 - i)).ToList();
        await Task.WhenAll(warmUp.Select(c => bus.Publish(c)));
        var warmDeadline = DateTime.UtcNow.AddSeconds(60);
        while (warmUp.Any(c => !arrivals.ContainsKey(c.RequestId)) && DateTime.UtcNow < warmDeadline)
            await Task.Delay(20);
        arrivals.Clear();
        failed = 0;

        var cpuBefore = consumers.CpuTime;
        var published = new ConcurrentDictionary<Guid, long>();
        var started = Stopwatch.GetTimestamp();
        using (var inFlight = new SemaphoreSlim(100))
        {
            var tasks = new List<Task>(scenario.Commands);
            for (var i = 0; i < scenario.Commands; i++)
            {
                if (scenario.OpenLoopRate > 0)
                {
                    var due = started + (long)(i * Stopwatch.Frequency / (double)scenario.OpenLoopRate);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait);
                }
                await inFlight.WaitAsync();
                var command = Command(i);
                published[command.RequestId] = Stopwatch.GetTimestamp();
                tasks.Add(bus.Publish(command).ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
            }
            await Task.WhenAll(tasks);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120 + scenario.Commands / 50.0);
        while (arrivals.Count < scenario.Commands && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var cpu = (consumers.CpuTime - cpuBefore).TotalSeconds;
        var rss = consumers.PeakRssMiB;
        await bus.StopAsync();
        if (database is not null)
            NpgsqlConnection.ClearAllPools();
        File.Delete(sqlite);

        var latencies = published.Where(p => arrivals.ContainsKey(p.Key))
            .Select(p => Stopwatch.GetElapsedTime(p.Value, arrivals[p.Key]).TotalMilliseconds).Order().ToArray();
        if (latencies.Length < scenario.Commands)
            Console.Error.WriteLine($"  {scenario.Name}: only {latencies.Length} of {scenario.Commands} outcomes arrived");
        var last = arrivals.Values.DefaultIfEmpty(started).Max();
        var seconds = Stopwatch.GetElapsedTime(started, last).TotalSeconds;
        return new Result(scenario, latencies.Length / seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.95),
            Percentile(latencies, 0.99), latencies.DefaultIfEmpty().Max(), cpu, rss, failed + scenario.Commands - latencies.Length);
    }

    static CreateMember Command(int i) => new()
    {
        RequestId = Guid.NewGuid(),
        CorpId = Corp,
        UserId = $"bench-{i}-{Guid.NewGuid().ToString("N")[..6]}",
        Name = $"压测成员{i}",
        Mobile = $"1{Random.Shared.NextInt64(3_000_000_000, 9_999_999_999)}",
        Departments = [new DepartmentMembership { Id = 1 + (i % 5) }],
    };

    static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    static async Task<string> CreateDatabaseAsync(string server)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..10];
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ToString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }
}
