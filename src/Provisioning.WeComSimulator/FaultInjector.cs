namespace Provisioning.WeComSimulator;

/// <summary>Applies <see cref="FaultSettings"/> to the write calls: rate and concurrency limits, busy answers, 5xx, latency.</summary>
public sealed class FaultInjector(SimulatorState state, TimeProvider time)
{
    readonly Lock _gate = new();
    readonly Dictionary<string, (long Minute, int Count, bool Blocked)> _minutes = new(StringComparer.Ordinal);
    int _inFlight;

    /// <summary>Enters one write call; dispose the result when the call ends.</summary>
    public InFlight Enter() => new(this);

    public sealed class InFlight : IDisposable
    {
        readonly FaultInjector _owner;

        internal InFlight(FaultInjector owner)
        {
            _owner = owner;
            Count = Interlocked.Increment(ref owner._inFlight);
        }

        /// <summary>Calls in flight, this one included.</summary>
        public int Count { get; }

        public void Dispose() => Interlocked.Decrement(ref _owner._inFlight);
    }

    /// <summary>45009 once a corp has used its budget for the window; the rest of that window stays blocked, as on WeCom.</summary>
    public bool OverMinuteLimit(string corpId)
    {
        var limit = state.Faults.PerMinuteLimit;
        if (limit <= 0)
            return false;
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / Math.Max(1, state.Faults.RateWindowSeconds);
        lock (_gate)
        {
            var entry = _minutes.GetValueOrDefault(corpId);
            if (entry.Minute != minute)
                entry = (minute, 0, false);
            entry.Count++;
            if (entry.Count > limit)
                entry.Blocked = true;
            _minutes[corpId] = entry;
            return entry.Blocked;
        }
    }

    public static bool Roll(double rate) => rate > 0 && Random.Shared.NextDouble() < rate;

    public Task DelayAsync(CancellationToken cancellationToken)
    {
        var faults = state.Faults;
        var delay = faults.LatencyMs + (faults.LatencyJitterMs > 0 ? Random.Shared.Next(faults.LatencyJitterMs + 1) : 0);
        return delay > 0 ? Task.Delay(TimeSpan.FromMilliseconds(delay), time, cancellationToken) : Task.CompletedTask;
    }
}
