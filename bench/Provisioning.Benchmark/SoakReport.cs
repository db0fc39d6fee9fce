using System.Globalization;

namespace Provisioning.Benchmark;

/// <summary>The soak rows side by side: what grows with the number of commands, against the same soak without the ledger.</summary>
internal static class SoakReport
{
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<Result> results)
    {
        var soaks = results.Where(r => r.Soak is not null).ToList();
        if (soaks.Count == 0)
            return;
        var settled = soaks.Max(r => r.Soak!.SettledAt.TotalSeconds);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"steady soaks (RSS settled at {settled:0} s; growth: MiB per 10,000 commands after it; bytes per command: what the files grew by; WAL peak: the largest -wal file):")).ConfigureAwait(false);
        await output.WriteLineAsync(
            $"{"scenario",-44} {"cmds",6} {"cmd/s",7} {"p50 ms",7} {"p99 ms",7} {"CPU s/1k",8} {"RSS set",8} {"RSS end",8} {"MiB/10k",8} {"ledger B/cmd",12} {"log B/cmd",9} {"ledger WAL peak",15} {"log WAL peak",12}").ConfigureAwait(false);
        foreach (var r in soaks)
        {
            var s = r.Soak!;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{r.Scenario.Name,-44} {r.Scenario.Commands,6} {r.Throughput,7:0.0} {r.P50,7:0.0} {r.P99,7:0.0} {r.CpuPerThousand,8:0.00} {s.SettledRssMiB,8:0.0} {s.EndRssMiB,8:0.0} {s.GrowthPer10K,8:0.0} {s.LedgerBytesPerCommand,12:0} {s.LogBytesPerCommand,9:0} {Megabytes(s.LedgerWalPeak),15} {Megabytes(s.LogWalPeak),12}")).ConfigureAwait(false);
        }
    }

    static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_048_576.0:0.0} MiB");
}
