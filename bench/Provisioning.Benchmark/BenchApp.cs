using System.Globalization;
using Npgsql;

namespace Provisioning.Benchmark;

/// <summary>Runs the scenarios and prints the table (medians of <see cref="BenchOptions.Runs"/> runs by throughput).</summary>
internal static class BenchApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args is ["baseline-consumer", var broker])
            return await BaselineConsumer.RunAsync(new Uri(broker)).ConfigureAwait(false);
        if (args is ["naive-consumer", var amqp, var weCom, var corpId, var secret])
            return await NaiveConsumer.RunAsync(new Uri(amqp), new Uri(weCom), corpId, secret).ConfigureAwait(false);

        var options = BenchOptions.Parse(args);
        var postgres = options.Postgres is not null && await ReachableAsync(options.Postgres).ConfigureAwait(false);
        var n = options.Commands;
        var openLoop = options.Quick ? 200 : 2000;
        // Rows paced by WeCom's rate (165/s with defaults) run long enough for the adaptation to matter, not more.
        var paced = options.Quick ? n : n / 2;
        var scenarios = new List<Scenario>
        {
            new("baseline: bare MassTransit, 0 ms", ConsumerKind.Bare, 1, 0, "None", true, n),
            new("naive: one HTTP call, no store, 0 ms", ConsumerKind.Naive, 1, 0, "None", true, n),
            new("ours, 0 ms, rate limit lifted", ConsumerKind.Ours, 1, 0, "Sqlite", true, n),
            new("ours, 0 ms, rate limit lifted, no idempotency store", ConsumerKind.Ours, 1, 0, "None", true, n),
            // The provisioning log's cost: the row above with it switched off (it is on in every other row, as shipped).
            new("ours, 0 ms, rate limit lifted, request log off", ConsumerKind.Ours, 1, 0, "Sqlite", true, n,
                Environment: new Dictionary<string, string> { ["Storage__RequestLog__Enabled"] = "false" }),
            new("ours, 0 ms, lifted, cold backlog", ConsumerKind.Ours, 1, 0, "Sqlite", true, 5 * n, Cold: true),
            new("ours, 0 ms, defaults", ConsumerKind.Ours, 1, 0, "Sqlite", false, paced),
        };
        // Every latency from 100 ms to 1 s, with a fifth of it as jitter.
        foreach (var latency in new[] { 100, 300, 500, 1000 })
            scenarios.Add(new($"ours, {latency}+{latency / 5} ms, defaults", ConsumerKind.Ours, 1, latency, "Sqlite", false, paced, JitterMs: latency / 5));
        scenarios.Add(new("ours, 4 enterprises, 300+60 ms, defaults", ConsumerKind.Ours, 1, 300, "Sqlite", false, 4 * paced, JitterMs: 60, Corps: 4));
        scenarios.Add(new("ours, 45033 storm (WeCom: 8 calls at once), 100 ms", ConsumerKind.Ours, 1, 100, "Sqlite", false, paced, JitterMs: 20, WeComConcurrencyLimit: 8));
        scenarios.Add(new("ours, 100 ms, defaults, 100/s steady", ConsumerKind.Ours, 1, 100, "Sqlite", false, openLoop, 100));
        scenarios.Add(new("ours, 100 ms, defaults, 100/s steady, request log off", ConsumerKind.Ours, 1, 100, "Sqlite", false, openLoop, 100,
            Environment: new Dictionary<string, string> { ["Storage__RequestLog__Enabled"] = "false" }));
        // The deletion guard off: a third of these commands are disables, far beyond its default threshold.
        scenarios.Add(new("ours, mixed create/update/disable, 100 ms, 100/s steady", ConsumerKind.Ours, 1, 100, "Sqlite", false, openLoop / 150 * 150, 100,
            Environment: new Dictionary<string, string> { ["Lifecycle__DeletionThreshold"] = "0" }, Mixed: true));
        // Issue 19: one person's four commands in flight together, 67 people back to back (268 commands), on each store.
        foreach (var store in postgres ? new[] { "Sqlite", "Postgres" } : ["Sqlite"])
            scenarios.Add(new($"ours, lifecycle burst 4/person back to back, {store}", ConsumerKind.Ours, 1, 0, store, true, options.Quick ? 40 : 268,
                Environment: new Dictionary<string, string> { ["Lifecycle__DeletionThreshold"] = "0" }, Burst: true));
        scenarios.AddRange(options.Replicas.Where(r => r > 1).Select(r => new Scenario($"ours, 0 ms, lifted, {r} replicas (PostgreSQL store)", ConsumerKind.Ours, r, 0, postgres ? "Postgres" : "Sqlite", true, n)));
        foreach (var store in postgres ? new[] { "None", "Sqlite", "Postgres" } : ["None", "Sqlite"])
            scenarios.Add(new Scenario($"store {store}, 0 ms, 100/s steady", ConsumerKind.Ours, 1, 0, store, true, openLoop, 100));
        // Steady soaks (issue 19): the ledger's files and the consumer's memory over minutes, against the same soak without
        // the ledger (the provisioning log is on in both).
        var soakSeconds = options.SoakSeconds ?? (options.Quick ? 20 : 300);
        foreach (var store in new[] { "None", "Sqlite" })
            scenarios.Add(new($"soak, store {store}, 100 ms, {options.SoakRate}/s, {soakSeconds} s", ConsumerKind.Ours, 1, 100, store, false,
                options.SoakRate * soakSeconds, options.SoakRate, SoakSeconds: soakSeconds));
        foreach (var knob in options.Knobs)
        {
            if (knob.ReadyToRun && !File.Exists(Path.Combine(options.ReadyToRunDirectory, "Provisioning.Consumer.dll")))
                throw new InvalidOperationException($"No ReadyToRun publish in {Path.GetFullPath(options.ReadyToRunDirectory)}: run scripts/bench.sh, which makes it.");
            scenarios.Add(new Scenario($"ours, 0 ms, lifted, cold backlog, {knob.Name}", ConsumerKind.Ours, 1, 0, "Sqlite", true, 5 * n, Cold: true,
                Environment: knob.Environment, ConsumerDirectory: knob.ReadyToRun ? Path.GetFullPath(options.ReadyToRunDirectory) : null));
        }

        await output.WriteLineAsync($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; " +
            $"{n} commands per throughput run, median of {options.Runs} run(s){(postgres ? "" : "; PostgreSQL not reachable, skipped")}").ConfigureAwait(false);
        var results = new List<Result>();
        var allRuns = new List<List<Result>>();
        // --only keeps the two comparison consumers (every ratio needs them) and the scenarios whose name contains the text.
        if (options.Only is { } only)
            scenarios = [.. scenarios.Take(2), .. scenarios.Skip(2).Where(s => s.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
        // Variants of the first row of ours that --only kept (the warm row without --only), each beside it.
        var warm = scenarios.FindIndex(s => s.Kind == ConsumerKind.Ours);
        foreach (var variant in options.Variants.Reverse())
        {
            var like = scenarios.ElementAtOrDefault(warm) ?? new Scenario("ours, 0 ms, rate limit lifted", ConsumerKind.Ours, 1, 0, "Sqlite", true, n);
            scenarios.Insert(warm < 0 ? scenarios.Count : warm + 1, like with
            {
                Name = $"{like.Name}, {variant.Name}",
                Environment = (like.Environment ?? new Dictionary<string, string>()).Concat(variant.Environment).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value),
                ConsumerDirectory = variant.Directory ?? (variant.ReadyToRun ? Path.GetFullPath(options.ReadyToRunDirectory) : null),
            });
        }
        // Repeated where the code sets the pace; where the rate limiter or a fixed publish rate does, once is enough.
        int RunsOf(Scenario scenario) => scenario.OpenLoopRate == 0 && scenario.RaisedLimits || options.RepeatAll ? options.Runs : 1;
        var runsOf = scenarios.Select(_ => new List<Result>()).ToList();
        if (options.Alternate)
        {
            // Run after run, every row in turn; the table follows at the end.
            for (var run = 0; run < options.Runs; run++)
                for (var i = 0; i < scenarios.Count; i++)
                    if (run < RunsOf(scenarios[i]))
                    {
                        var result = await ScenarioRunner.RunAsync(scenarios[i], options).ConfigureAwait(false);
                        runsOf[i].Add(result);
                        await output.WriteLineAsync($"  run {run + 1}: {Row(result, [result])}").ConfigureAwait(false);
                    }
        }
        for (var i = 0; i < scenarios.Count; i++)
        {
            var runs = runsOf[i];
            for (var run = runs.Count; run < RunsOf(scenarios[i]); run++)
                runs.Add(await ScenarioRunner.RunAsync(scenarios[i], options).ConfigureAwait(false));
            var median = runs.OrderBy(r => r.Throughput).ElementAt(runs.Count / 2);
            results.Add(median);
            allRuns.Add(runs);
            await output.WriteLineAsync(Row(median, runs)).ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(Header()).ConfigureAwait(false);
        for (var i = 0; i < results.Count; i++)
            await output.WriteLineAsync(Row(results[i], allRuns[i])).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        var baseline = results[0].Throughput;
        var naive = results[1];
        var ours = results.FirstOrDefault(r => r.Scenario.Name == "ours, 0 ms, rate limit lifted");
        if (ours is not null)
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"ours / naive at 0 ms (rate limit lifted): {ours.Throughput / naive.Throughput:0.00}× the throughput, {ours.CpuPerThousand / naive.CpuPerThousand:0.00}× the CPU per create ({ours.CpuPerThousand:0.00} vs {naive.CpuPerThousand:0.00} CPU-s per 1,000); ours / bare MassTransit: {ours.Throughput / baseline:P0}")).ConfigureAwait(false);
        foreach (var cold in results.Where(r => r.Scenario.Cold))
            await output.WriteLineAsync(double.IsNaN(cold.AfterTenSeconds)
                ? $"{cold.Scenario.Name}: the drain took under 15 s, nothing steady to compare its first 10 s with (give it more --commands)"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{cold.Scenario.Name}: first 10 s {cold.FirstTenSeconds:0} cmd/s = {cold.FirstTenSeconds / cold.AfterTenSeconds:P0} of the {cold.AfterTenSeconds:0} cmd/s after them")).ConfigureAwait(false);
        foreach (var pacedRow in results.Where(r => r.Scenario.Kind == ConsumerKind.Ours && !r.Scenario.RaisedLimits && r.Scenario.OpenLoopRate == 0))
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{pacedRow.Scenario.Name}: slowest enterprise {pacedRow.SlowestCorp:0.0} creates/s = {pacedRow.SlowestCorp / (9900 / 60.0):P0} of its 9,900/min")).ConfigureAwait(false);
        var steady = results.FirstOrDefault(r => r.Scenario.Name.EndsWith("100 ms, defaults, 100/s steady", StringComparison.Ordinal));
        if (steady is not null)
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"added latency at 100 ms, 100/s (ours, minus the simulator's 100 ms): p50 {steady.P50 - 100:0.0} ms, p99 {steady.P99 - 100:0.0} ms")).ConfigureAwait(false);
        if (steady is not null && results.FirstOrDefault(r => r.Scenario.Mixed) is { } mixed)
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"mixed create/update/disable for the same people at 100 ms, 100/s: p50 {mixed.P50 - 100:0.0} ms, p99 {mixed.P99 - 100:0.0} ms added; the member order and the lifecycle path add {mixed.P50 - steady.P50:0.0} ms at p50, {mixed.P99 - steady.P99:0.0} ms at p99 over creates only")).ConfigureAwait(false);
        var none = results.FirstOrDefault(r => r.Scenario.Name.StartsWith("store None", StringComparison.Ordinal));
        foreach (var store in results.Where(r => none is not null && r.Scenario.Name.StartsWith("store ", StringComparison.Ordinal) && r != none))
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"idempotency store {store.Scenario.Store}: median added latency {store.P50 - none!.P50:0.00} ms per command over no store")).ConfigureAwait(false);
        // Each repeated row's medians taken one by one (the table shows the run of median throughput and the highest RSS).
        for (var i = 0; i < results.Count; i++)
            if (allRuns[i].Count > 1)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"medians of {allRuns[i].Count} runs, {results[i].Scenario.Name}: {Median(allRuns[i], r => r.Throughput):0.0} cmd/s, {Median(allRuns[i], r => r.CpuPerThousand):0.00} CPU s/1k, peak RSS {Median(allRuns[i], r => r.PeakRssMiB):0.0} MiB, p99 {Median(allRuns[i], r => r.P99):0.0} ms")).ConfigureAwait(false);
        await SoakReport.WriteAsync(output, results).ConfigureAwait(false);
        // The issue's rule: no 45009 and no failed command in any row.
        return allRuns.SelectMany(r => r).Any(r => r.Failed > 0 || r.RateLimited > 0) ? 1 : 0;
    }

    static double Median(List<Result> runs, Func<Result, double> figure) => runs.Select(figure).Order().ElementAt(runs.Count / 2);

    static string Header() =>
        $"{"scenario",-56} {"cmds",6} {"cmd/s",8} {"spread",13} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"CPU s/1k",8} {"RSS MiB",8} {"45009",6} {"45033",6} {"failed",6}";

    static string Row(Result r, IReadOnlyList<Result> runs) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Scenario.Name,-56} {r.Scenario.Commands,6} {r.Throughput,8:0.0} {Spread(runs),13} {r.P50,8:0.0} {r.P99,8:0.0} {r.Max,8:0.0} {r.CpuPerThousand,8:0.00} {runs.Max(x => x.PeakRssMiB),8:0.0} {runs.Sum(x => x.RateLimited),6} {runs.Sum(x => x.ConcurrencyLimited),6} {runs.Sum(x => x.Failed),6}");

    static string Spread(IReadOnlyList<Result> runs) => runs.Count < 2 ? "-" : string.Create(CultureInfo.InvariantCulture,
        $"{runs.Min(x => x.Throughput):0}-{runs.Max(x => x.Throughput):0}");

    static async Task<bool> ReachableAsync(string server)
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Timeout = 3 }.ToString());
            await connection.OpenAsync().ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
