using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
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
    public static async Task<Result> RunAsync(Scenario scenario, BenchOptions options)
    {
        await using var broker = await TestBroker.CreateAsync(BrokerNode.Default with { Host = options.RabbitHost }, "bench");
        var corps = Enumerable.Range(0, scenario.Corps).Select(i => i == 0 ? Simulator.CorpId : $"ww-bench-{i + 1}").ToArray();
        var simulatorSettings = new Dictionary<string, string?>
        {
            ["Simulator:Faults:LatencyMs"] = Text(scenario.LatencyMs),
            ["Simulator:Faults:LatencyJitterMs"] = Text(scenario.JitterMs),
            ["Simulator:Faults:ConcurrencyLimit"] = Text(scenario.WeComConcurrencyLimit),
            // WeCom's own limit, so that a breach shows as 45009 answers (lifted rows measure the code, not the allowance).
            ["Simulator:Faults:PerMinuteLimit"] = Text(scenario.RaisedLimits ? 0 : 10_000),
        };
        foreach (var corp in corps.Skip(1))
            simulatorSettings[$"Simulator:Corps:{corp}"] = "secret-" + corp;
        await using var simulator = await Simulator.StartAsync(simulatorSettings);
        var database = scenario.Store == "Postgres" ? await CreateDatabaseAsync(options.Postgres!) : null;
        var sqlite = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.db");

        var arrivals = new ConcurrentDictionary<Guid, (long At, string Corp)>();
        var failed = 0;
        await using var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", false, true, true)).QueueName;
        // The base exchanges get every outcome of every command type (the consumers of comparison publish only these two).
        foreach (var exchange in new[] { "Provisioning.Contracts:MemberCreated", "Provisioning.Contracts:MemberCreationFailed",
            "Provisioning.Contracts:MemberCommandSucceeded", "Provisioning.Contracts:MemberCommandFailed" })
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, exchange, "");
        }
        var listener = new AsyncEventingBasicConsumer(channel);
        listener.ReceivedAsync += (_, delivery) =>
        {
            var now = Stopwatch.GetTimestamp();
            using var envelope = System.Text.Json.JsonDocument.Parse(delivery.Body);
            var message = envelope.RootElement.GetProperty("message");
            // Superseded is an answer the member order gives by design (a burst's disable overtaken by its enable), not a failure.
            if (delivery.Exchange.EndsWith("Failed", StringComparison.Ordinal) &&
                !(message.TryGetProperty("reason", out var reason) && reason.ValueKind == System.Text.Json.JsonValueKind.String && reason.GetString() == "Superseded"))
                Interlocked.Increment(ref failed);
            arrivals.TryAdd(message.GetProperty("requestId").GetGuid(), (now, message.GetProperty("corpId").GetString() ?? ""));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, listener);

        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__RabbitMq"] = broker.AmqpUri.ToString(),
            ["WeCom__BaseUrl"] = simulator.BaseUrl.ToString(),
            ["WeCom__CorpId"] = Simulator.CorpId,
            ["WeCom__CorpSecret"] = simulator.Secret,
            ["Storage__Provider"] = scenario.Store,
            ["Storage__SqlitePath"] = sqlite,
            ["ConnectionStrings__Idempotency"] = database ?? "",
            // The provisioning log beside the idempotency file (on by default, as shipped; rows below switch it off).
            ["Storage__RequestLog__SqlitePath"] = sqlite + "-log.db",
            ["Operator__KeysPath"] = sqlite + "-keys",
        };
        if (scenario.RaisedLimits)
            settings["WeCom__Limits__CallsPerMinute"] = "10000000";
        foreach (var corp in corps.Skip(1))
            settings[$"WeCom__Corps__{corp}__CorpSecret"] = "secret-" + corp;
        foreach (var (key, value) in scenario.Environment ?? new Dictionary<string, string>())
            settings[key] = value;
        Func<ConsumerProcess> launch = scenario.Kind switch
        {
            ConsumerKind.Bare => () => Comparison(["baseline-consumer", broker.AmqpUri.ToString()]),
            ConsumerKind.Naive => () => Comparison(["naive-consumer", broker.AmqpUri.ToString(), simulator.BaseUrl.ToString(), Simulator.CorpId, simulator.Secret]),
            _ => () => ConsumerProcess.Launch(settings, scenario.ConsumerDirectory),
        };

        var consumers = new ConsumerProcesses();
        try
        {
            return await MeasureAsync();
        }
        finally
        {
            // Also when the run fails: a consumer left running would skew every later row.
            await consumers.DisposeAsync();
            if (database is not null)
                NpgsqlConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(sqlite)!, Path.GetFileName(sqlite) + "*"))
                File.Delete(file);
            if (Directory.Exists(sqlite + "-keys"))
                Directory.Delete(sqlite + "-keys", recursive: true);
        }

        async Task<Result> MeasureAsync()
        {
            var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(broker.AmqpUri));
            await bus.StartAsync();
            var published = new ConcurrentDictionary<Guid, long>();
            await using var sampler = scenario.SoakSeconds > 0 ? new SoakSampler(consumers, sqlite, () => arrivals.Count) : null;
            long started;
            TimeSpan cpuBefore;
            if (scenario.Cold)
            {
                // The queues and bindings are the consumer's: one start declares them; then a backlog, then a fresh process.
                await consumers.StartAsync(broker, 1, launch);
                await consumers.DisposeAsync();
                await Wait.Until(async () => await broker.ConsumerCountAsync("create-member") == 0, TimeSpan.FromSeconds(30), "the first process to leave");
                await PublishAsync(bus, scenario, corps, published, 0, Stopwatch.GetTimestamp());
                consumers = new ConsumerProcesses();
                started = Stopwatch.GetTimestamp();
                cpuBefore = TimeSpan.Zero;
                await consumers.StartAsync(broker, scenario.Replicas, launch);
            }
            else
            {
                await consumers.StartAsync(broker, scenario.Replicas, launch);
                // Warm-up, not measured: JIT, connections, the first access token, the store's schema, the concurrency.
                var warmUp = Enumerable.Range(0, 50 * corps.Length).Select(i => Command(-1 - i, corps)).ToList();
                await Task.WhenAll(warmUp.Select(c => bus.Publish(c)));
                await Wait.Until(() => Task.FromResult(warmUp.All(c => arrivals.ContainsKey(c.RequestId))), TimeSpan.FromSeconds(60), "the warm-up's outcomes");
                arrivals.Clear();
                failed = 0;
                cpuBefore = consumers.CpuTime;
                sampler?.Start();
                started = Stopwatch.GetTimestamp();
                await PublishAsync(bus, scenario, corps, published, scenario.OpenLoopRate, started);
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120 + scenario.Commands / 50.0);
            while (arrivals.Count < scenario.Commands && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            if (failed > 0)
                Console.Error.WriteLine($"  {scenario.Name}: {failed} failed; the consumers said:\n{consumers.Output}");
            var cpu = (consumers.CpuTime - cpuBefore).TotalSeconds;
            var rss = consumers.PeakRssMiB;
            var soak = sampler is null ? null : await sampler.StopAsync(scenario.Commands);
            await consumers.DisposeAsync();
            await bus.StopAsync();
            var ledger = await simulator.LedgerAsync();

            var latencies = published.Where(p => arrivals.ContainsKey(p.Key))
                .Select(p => Stopwatch.GetElapsedTime(p.Value, arrivals[p.Key].At).TotalMilliseconds).Order().ToArray();
            if (latencies.Length < scenario.Commands)
                Console.Error.WriteLine($"  {scenario.Name}: only {latencies.Length} of {scenario.Commands} outcomes arrived");
            var times = arrivals.Values.Select(a => a.At).DefaultIfEmpty(started).ToArray();
            // A cold drain is timed from its first outcome: the process's own start-up is not the drain's.
            if (scenario.Cold)
                started = times.Min();
            var seconds = Stopwatch.GetElapsedTime(started, times.Max()).TotalSeconds;
            var inFirstTen = times.Count(t => Stopwatch.GetElapsedTime(started, t) <= TimeSpan.FromSeconds(10));
            var firstTen = inFirstTen / Math.Min(10, seconds);
            var afterTen = seconds > 15 ? (times.Length - inFirstTen) / (seconds - 10) : double.NaN;
            var slowestCorp = arrivals.Values.GroupBy(a => a.Corp)
                .Select(g => g.Count() / Stopwatch.GetElapsedTime(started, g.Max(a => a.At)).TotalSeconds).DefaultIfEmpty().Min();
            return new Result(scenario, latencies.Length / seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.95),
                Percentile(latencies, 0.99), latencies.DefaultIfEmpty().Max(), cpu, rss, failed + scenario.Commands - latencies.Length,
                slowestCorp, firstTen, afterTen, ledger.ErrorAnswers.GetValueOrDefault(45009), ledger.ErrorAnswers.GetValueOrDefault(45033), soak);
        }
    }

    static ConsumerProcess Comparison(string[] arguments) =>
        ConsumerProcess.Launch(Path.Combine(AppContext.BaseDirectory, "Provisioning.Benchmark.dll"), arguments, AppContext.BaseDirectory, []);

    /// <summary>Publishes the scenario's commands, at most 100 unconfirmed at once, at a steady pace if it has one.</summary>
    static async Task PublishAsync(IBus bus, Scenario scenario, string[] corps, ConcurrentDictionary<Guid, long> published, int rate, long started)
    {
        using var inFlight = new SemaphoreSlim(100);
        var tasks = new List<Task>(scenario.Commands);
        for (var i = 0; i < scenario.Commands; i++)
        {
            if (rate > 0)
            {
                var due = started + (long)(i * Stopwatch.Frequency / (double)rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait);
            }
            await inFlight.WaitAsync();
            var (requestId, command) = scenario.Mixed ? MixedCommand(i, corps) : scenario.Burst ? BurstCommand(i, corps) : (Guid.Empty, Command(i, corps));
            requestId = requestId == Guid.Empty ? ((CreateMember)command).RequestId : requestId;
            published[requestId] = Stopwatch.GetTimestamp();
            tasks.Add(bus.Publish(command).ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
        }
        await Task.WhenAll(tasks);
    }

    static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    static readonly long MobileBase = Random.Shared.NextInt64(3_000_000_000, 9_000_000_000);

    static CreateMember Command(int i, string[] corps) => new()
    {
        RequestId = Guid.NewGuid(),
        CorpId = corps[Math.Abs(i) % corps.Length],
        UserId = $"bench-{i}-{Guid.NewGuid().ToString("N")[..6]}",
        Name = $"压测成员{i}",
        // Unique within a run (random ones collide: 60,000 of them share a number about one run in four, and WeCom
        // answers 60104), and apart between runs on the same simulator.
        Mobile = $"1{MobileBase + i}",
        Departments = [new DepartmentMembership { Id = 1 + (Math.Abs(i) % 5) }],
    };

    /// <summary>
    /// Command <paramref name="i"/> of a mixed run: in each block of 150, the creates of 50 people, then their updates,
    /// then their disables, so that a person's next command usually comes once the last one ended (the row measures what
    /// the member order costs, not the waiting it imposes by design).
    /// </summary>
    static (Guid RequestId, object Command) MixedCommand(int i, string[] corps)
    {
        var block = i / 150;
        var within = i % 150;
        var person = block * 50 + within % 50;
        var create = Command(person, corps) with { UserId = $"bench-p{person}" };
        var requestId = Guid.NewGuid();
        return (within / 50) switch
        {
            0 => (create.RequestId, create),
            1 => (requestId, new UpdateMember { RequestId = requestId, CorpId = create.CorpId, UserId = create.UserId, Position = $"岗位{i}" }),
            _ => (requestId, new DisableMember { RequestId = requestId, CorpId = create.CorpId, UserId = create.UserId }),
        };
    }

    /// <summary>Command <paramref name="i"/> of a burst: person i / 4's create, update, disable and enable, back to back.</summary>
    static (Guid RequestId, object Command) BurstCommand(int i, string[] corps)
    {
        var create = Command(i / 4, corps) with { UserId = $"burst-p{i / 4}-{RunTag}" };
        var requestId = Guid.NewGuid();
        return (i % 4) switch
        {
            0 => (create.RequestId, create),
            1 => (requestId, new UpdateMember { RequestId = requestId, CorpId = create.CorpId, UserId = create.UserId, Position = $"岗位{i}" }),
            2 => (requestId, new DisableMember { RequestId = requestId, CorpId = create.CorpId, UserId = create.UserId }),
            _ => (requestId, new EnableMember { RequestId = requestId, CorpId = create.CorpId, UserId = create.UserId }),
        };
    }

    // Burst people are apart between runs on the same simulator.
    static readonly string RunTag = Guid.NewGuid().ToString("N")[..6];

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
