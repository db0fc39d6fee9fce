namespace Provisioning.WeCom;

/// <summary>
/// Decides how many commands of one enterprise may be in flight: what its rate needs at the service time observed
/// (Little's law: rate × time, with headroom), within the bounds and under a ceiling learnt from WeCom's 45033 and from
/// saturation (a higher limit that brought only latency, no throughput). A ceiling is held for a while, then probed a
/// step higher; each time it proves right again it is held twice as long, so a limit that WeCom enforces settles.
/// Pure logic: the caller measures and applies (<see cref="CorpPace"/>).
/// </summary>
internal sealed class ConcurrencyController
{
    /// <summary>Slack above Little's law for jitter and for the time a command spends around its WeCom call.</summary>
    internal const double Headroom = 1.2;

    const int InitialCeiling = 64;

    static readonly TimeSpan FirstHold = TimeSpan.FromSeconds(30);
    static readonly TimeSpan LongestHold = TimeSpan.FromMinutes(10);

    readonly double _ratePerSecond;
    readonly int _min;
    readonly int _max;
    int? _ceiling;
    TimeSpan _ceilingUntil;
    TimeSpan _hold = FirstHold;
    Interval? _previous;

    /// <summary>What one measuring interval saw.</summary>
    /// <param name="Limit">The limit in force.</param>
    /// <param name="Throughput">Commands completed per second.</param>
    /// <param name="MeanService">Their mean time in flight, less what they waited for the rate limit, a pause or a retry.</param>
    /// <param name="Saturated">Commands had to wait for a slot: demand exceeded the limit.</param>
    internal readonly record struct Interval(int Limit, double Throughput, TimeSpan MeanService, bool Saturated);

    public ConcurrencyController(double ratePerSecond, int min, int max)
    {
        _ratePerSecond = ratePerSecond;
        _min = min;
        _max = max;
        // Before anything is measured, what a 100 ms round trip needs (WeCom's usual from mainland China), and not so
        // many that a lifted rate starts at the maximum: saturation is only seen coming from below.
        Limit = Math.Min(Need(TimeSpan.FromMilliseconds(100)), Math.Max(_min, InitialCeiling));
    }

    public int Limit { get; private set; }

    /// <summary>The ceiling learnt from 45033 or saturation, if one holds.</summary>
    public int? Ceiling => _ceiling;

    /// <summary>The limit that reaches the rate at <paramref name="service"/> per command, within the bounds.</summary>
    public int Need(TimeSpan service) =>
        (int)Math.Clamp(Math.Ceiling(_ratePerSecond * service.TotalSeconds * Headroom) + 1, _min, _max);

    /// <summary>
    /// Nothing has completed yet and every slot has been busy for <paramref name="busyFor"/>: the service time is at
    /// least that, so the limit need not wait for the first interval to grow (a cold start against a slow WeCom).
    /// </summary>
    public void NothingCompletedYet(TimeSpan busyFor) => Limit = Math.Max(Limit, Capped(Need(busyFor)));

    /// <summary>Adjusts the limit after an interval with completions; <paramref name="now"/> is monotonic.</summary>
    public void Evaluate(Interval current, TimeSpan now)
    {
        if (_previous is { } previous && previous.Saturated && current.Saturated
            && current.Limit > previous.Limit * 1.2
            && current.Throughput < previous.Throughput * 1.05
            && current.MeanService > previous.MeanService * 1.3)
        {
            // More in flight bought only latency: the CPU, the store or WeCom is saturated. Go back and hold there.
            Cap(previous.Limit, now);
        }
        else if (_ceiling is { } ceiling && now >= _ceilingUntil)
        {
            // Held long enough: probe a step higher (a quarter, at least one).
            var raised = ceiling + Math.Max(1, ceiling / 4);
            _ceiling = raised >= _max ? null : raised;
            _ceilingUntil = now + _hold;
            if (_ceiling is null)
                _hold = FirstHold;
        }
        _previous = current;
        Limit = Capped(Need(current.MeanService));
    }

    /// <summary>WeCom answered 45033 with <paramref name="inFlight"/> commands in flight: a quarter fewer, and hold.</summary>
    public void TooManyConcurrentCalls(int inFlight, TimeSpan now)
    {
        Cap(Math.Max(_min, Math.Min(Limit, inFlight) * 3 / 4), now);
        Limit = Capped(Limit);
        // The interval that follows is not comparable with the one before the cut.
        _previous = null;
    }

    void Cap(int ceiling, TimeSpan now)
    {
        _ceiling = Math.Max(_min, ceiling);
        _ceilingUntil = now + _hold;
        _hold = TimeSpan.FromTicks(Math.Min(_hold.Ticks * 2, LongestHold.Ticks));
    }

    int Capped(int limit) => Math.Clamp(Math.Min(limit, _ceiling ?? _max), _min, _max);
}
