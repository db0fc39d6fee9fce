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

        var options = BenchOptions.Parse(args);
        var postgres = options.Postgres is not null && await ReachableAsync(options.Postgres).ConfigureAwait(false);
        var n = options.Commands;
        var openLoop = options.Quick ? 200 : 2000;
        var scenarios = new List<Scenario>
        {
            new("baseline: bare MassTransit, 0 ms", true, 1, 0, "None", true, n),
            new("ours, 0 ms, rate limit lifted", false, 1, 0, "Sqlite", true, n),
            new("ours, 0 ms, rate limit lifted, no idempotency store", false, 1, 0, "None", true, n),
            new("ours, 0 ms, defaults", false, 1, 0, "Sqlite", false, options.Quick ? n : n / 2),
            new("ours, 100 ms, defaults", false, 1, 100, "Sqlite", false, options.Quick ? n : n / 2),
            new("ours, 100 ms, defaults, 100/s steady", false, 1, 100, "Sqlite", false, openLoop, 100),
        };
        scenarios.AddRange(options.Replicas.Where(r => r > 1).Select(r => new Scenario($"ours, 0 ms, lifted, {r} replicas (PostgreSQL store)", false, r, 0, postgres ? "Postgres" : "Sqlite", true, n)));
        foreach (var store in postgres ? new[] { "None", "Sqlite", "Postgres" } : ["None", "Sqlite"])
            scenarios.Add(new Scenario($"store {store}, 0 ms, 100/s steady", false, 1, 0, store, true, openLoop, 100));

        await output.WriteLineAsync($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; " +
            $"{n} commands per throughput run, median of {options.Runs} run(s){(postgres ? "" : "; PostgreSQL not reachable, skipped")}").ConfigureAwait(false);
        var results = new List<Result>();
        // --only keeps the baseline (every ratio needs it) and the scenarios whose name contains the text.
        if (options.Only is { } only)
            scenarios = [scenarios[0], .. scenarios.Skip(1).Where(s => s.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
        foreach (var scenario in scenarios)
        {
            var runs = new List<Result>();
            // Repeated where the code sets the pace; where the rate limiter or a fixed publish rate does, once is enough.
            var repeat = scenario.OpenLoopRate == 0 && scenario.RaisedLimits;
            for (var run = 0; run < (repeat ? options.Runs : 1); run++)
                runs.Add(await ScenarioRunner.RunAsync(scenario, options).ConfigureAwait(false));
            var median = runs.OrderBy(r => r.Throughput).ElementAt(runs.Count / 2);
            results.Add(median);
            await output.WriteLineAsync(Row(median)).ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(Header()).ConfigureAwait(false);
        foreach (var result in results)
            await output.WriteLineAsync(Row(result)).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        var baseline = results[0].Throughput;
        var ours = results.FirstOrDefault(r => r.Scenario.Name == "ours, 0 ms, rate limit lifted")?.Throughput ?? double.NaN;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"ours / baseline at 0 ms (rate limit lifted): {ours / baseline:P0}")).ConfigureAwait(false);
        if (results.FirstOrDefault(r => r.Scenario.Name.EndsWith("100 ms, defaults, 100/s steady", StringComparison.Ordinal)) is { } steady)
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"added latency at 100 ms, 100/s (ours, minus the simulator's 100 ms): p50 {steady.P50 - 100:0.0} ms, p99 {steady.P99 - 100:0.0} ms")).ConfigureAwait(false);
        var none = results.FirstOrDefault(r => r.Scenario.Name.StartsWith("store None", StringComparison.Ordinal));
        foreach (var store in results.Where(r => none is not null && r.Scenario.Name.StartsWith("store ", StringComparison.Ordinal) && r != none))
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"idempotency store {store.Scenario.Store}: median added latency {store.P50 - none!.P50:0.00} ms per command over no store")).ConfigureAwait(false);
        return results.Any(r => r.Failed > 0) ? 1 : 0;
    }

    static string Header() =>
        $"{"scenario",-52} {"cmds",6} {"cmd/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"CPU s",7} {"RSS MiB",8} {"failed",6}";

    static string Row(Result r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Scenario.Name,-52} {r.Scenario.Commands,6} {r.Throughput,8:0.0} {r.P50,8:0.0} {r.P95,8:0.0} {r.P99,8:0.0} {r.Max,8:0.0} {r.CpuSeconds,7:0.0} {r.PeakRssMiB,8:0.0} {r.Failed,6}");

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
