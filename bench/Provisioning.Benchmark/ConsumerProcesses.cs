using Provisioning.TestSupport;

namespace Provisioning.Benchmark;

/// <summary>Consumer processes for one scenario (ours or the bare baseline), with their CPU time and peak resident memory.</summary>
internal sealed class ConsumerProcesses : IAsyncDisposable
{
    readonly List<ConsumerProcess> _processes = [];

    /// <summary>What the processes printed (for the report of a process that died).</summary>
    public string Output => string.Join('\n', _processes.SelectMany(p => p.Output.Split('\n')).TakeLast(60));

    /// <summary>Launches <paramref name="count"/> processes and waits until the broker shows them on create-member.</summary>
    public async Task StartAsync(TestBroker broker, int count, Func<ConsumerProcess> launch)
    {
        var before = await broker.ConsumerCountAsync("create-member").ConfigureAwait(false);
        for (var i = 0; i < count; i++)
            _processes.Add(launch());
        await Wait.Until(async () => _processes.Any(p => p.HasExited) || await broker.ConsumerCountAsync("create-member").ConfigureAwait(false) >= before + count,
            TimeSpan.FromSeconds(60), "the consumer processes to start").ConfigureAwait(false);
        if (_processes.Any(p => p.HasExited))
            throw new InvalidOperationException("Consumer processes did not start:\n" + Output);
    }

    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                return TimeSpan.FromTicks(_processes.Sum(p => p.CpuTime.Ticks));
            }
            catch (InvalidOperationException)
            {
                var codes = string.Join(", ", _processes.Where(p => p.HasExited).Select(p => $"{p.Id} exited with {p.ExitCode}"));
                throw new InvalidOperationException($"A consumer process died during the run ({codes}):\n{Output}");
            }
        }
    }

    /// <summary>The largest peak resident set (VmHWM) among the processes, in MiB.</summary>
    public double PeakRssMiB => _processes.Max(p => p.PeakRssMiB);

    /// <summary>The processes' resident sets now (VmRSS), together, in MiB.</summary>
    public double RssMiB => _processes.Sum(p => p.RssMiB);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
            await process.DisposeAsync().ConfigureAwait(false);
        // Disposed on the way out of a run as well as after it: the second time there is nothing left to stop.
        _processes.Clear();
    }
}
