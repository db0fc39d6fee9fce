using System.Diagnostics;

namespace Provisioning.Benchmark;

/// <summary>
/// What a steady soak measures beyond latency, sampled once a second while it runs: the consumer's resident memory and
/// the sizes of the ledger's and the provisioning log's files (database and write-ahead log). Issue 19: memory stayed
/// flat while the ledger's WAL grew by 5.7 KB per command for ever; only a long steady run shows either.
/// </summary>
internal sealed class SoakSampler(ConsumerProcesses consumers, string ledgerPath, Func<int> answered) : IAsyncDisposable
{
    readonly List<Sample> _samples = [];
    readonly CancellationTokenSource _stop = new();
    readonly long _started = Stopwatch.GetTimestamp();
    Task? _loop;

    readonly record struct Sample(TimeSpan At, int Answered, double RssMiB, long Ledger, long LedgerWal, long Log, long LogWal);

    public void Start()
    {
        Take();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                    Take();
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    void Take()
    {
        var sample = new Sample(Stopwatch.GetElapsedTime(_started), answered(), consumers.RssMiB, Size(ledgerPath), Size(ledgerPath + "-wal"),
            Size(ledgerPath + "-log.db"), Size(ledgerPath + "-log.db-wal"));
        lock (_samples)
            _samples.Add(sample);
    }

    static long Size(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    /// <summary>Stops sampling (with a last sample, taken while the consumer still runs) and sums up.</summary>
    public async Task<SoakFigures> StopAsync(int commands)
    {
        Take();
        await _stop.CancelAsync();
        if (_loop is not null)
            await _loop;
        Sample[] samples;
        lock (_samples)
            samples = [.. _samples];
        var first = samples[0];
        var last = samples[^1];
        // Memory settles once the runtime has grown its heaps and compiled the hot paths: a minute in, or a third of a
        // shorter run (--quick, --seconds).
        var settleAt = TimeSpan.FromSeconds(Math.Min(60, last.At.TotalSeconds / 3));
        var settled = samples.First(s => s.At >= settleAt);
        var after = last.Answered - settled.Answered;
        return new SoakFigures(settled.At, settled.RssMiB, last.RssMiB,
            after > 0 ? (last.RssMiB - settled.RssMiB) * 10_000 / after : double.NaN,
            (double)(last.Ledger + last.LedgerWal - first.Ledger - first.LedgerWal) / commands,
            (double)(last.Log + last.LogWal - first.Log - first.LogWal) / commands,
            samples.Max(s => s.LedgerWal), samples.Max(s => s.LogWal), last.Ledger, last.LedgerWal);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
            await _loop;
        _stop.Dispose();
    }
}

/// <summary>What a soak measured.</summary>
/// <param name="SettledAt">When memory was taken as settled (a minute in, or a third of a shorter run).</param>
/// <param name="SettledRssMiB">The consumer's resident memory then.</param>
/// <param name="EndRssMiB">At the end, before the consumer stopped.</param>
/// <param name="GrowthPer10K">MiB of resident memory gained per 10,000 commands answered after <paramref name="SettledAt"/>.</param>
/// <param name="LedgerBytesPerCommand">What the ledger's files (database and WAL) grew by, per command.</param>
/// <param name="LogBytesPerCommand">What the provisioning log's files grew by, per command.</param>
/// <param name="LedgerWalPeak">The ledger's WAL file at its largest, bytes.</param>
/// <param name="LogWalPeak">The provisioning log's WAL file at its largest, bytes.</param>
/// <param name="LedgerEnd">The ledger's database file at the end, bytes.</param>
/// <param name="LedgerWalEnd">The ledger's WAL file at the end, bytes.</param>
internal sealed record SoakFigures(TimeSpan SettledAt, double SettledRssMiB, double EndRssMiB, double GrowthPer10K, double LedgerBytesPerCommand,
    double LogBytesPerCommand, long LedgerWalPeak, long LogWalPeak, long LedgerEnd, long LedgerWalEnd);
