using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Provisioning.Operations;

namespace Provisioning.WeCom;

/// <summary>
/// Keeps each enterprise's pace: its commands in flight (<see cref="CorpPace"/>, adaptive), at most
/// <see cref="WeComLimitsOptions.CallsPerMinute"/> calls in any <see cref="WeComLimitsOptions.RateWindow"/>, and a
/// pause for everyone after WeCom says 45009 or 45033, so that one message's rate-limit answer does not burn the
/// attempts of all the others. A 45033 also lowers the enterprise's concurrency.
/// </summary>
internal sealed class WeComThrottle : IDisposable
{
    sealed class CorpLimits(string corpId, WeComLimitsOptions options, TimeProvider time) : IDisposable
    {
        public readonly CorpPace Pace = new(corpId, options, time);

        public readonly TokenBucketRateLimiter Rate = new(RateOptions(options.CallsPerMinute, options.RateWindow));

        public long PausedUntilTicks;

        public void Dispose()
        {
            Pace.Dispose();
            Rate.Dispose();
        }
    }

    readonly ConcurrentDictionary<string, CorpLimits> _limits = new(StringComparer.Ordinal);
    readonly IOptions<WeComLimitsOptions> _options;
    readonly TimeProvider _time;

    public WeComThrottle(IOptions<WeComLimitsOptions> options, TimeProvider time, IMeterFactory? meters = null)
    {
        _options = options;
        _time = time;
        // Where each enterprise's adaptive concurrency stands, for dashboards.
        meters?.Create(ProvisioningInstrumentation.Name).CreateObservableGauge("provisioning.wecom.concurrency.limit",
            () => _limits.Values.Select(l => new Measurement<int>(l.Pace.Limit, new KeyValuePair<string, object?>("corp_id", l.Pace.CorpId))),
            "{command}", "Commands of an enterprise this instance lets be in flight at once.");
    }

    /// <summary>The enterprise's slots for commands in flight.</summary>
    public CorpPace Pace(string corpId) => Limits(corpId).Pace;

    CorpLimits Limits(string corpId) => _limits.GetOrAdd(corpId, static (id, self) => new CorpLimits(id, self._options.Value, self._time), this);

    /// <summary>
    /// The bucket for <paramref name="limit"/> calls per <paramref name="window"/>: it holds <c>c</c> tokens and gets
    /// <c>c</c> more every period <c>p = window·c / (limit − 2c)</c>. Any window then sees at most the full bucket plus
    /// <c>⌈window / p⌉</c> refills: <c>c + (limit − 2c) + c = limit</c> at the very worst, so a backlog drains at
    /// nearly the allowed pace and never faster.
    /// </summary>
    internal static TokenBucketRateLimiterOptions RateOptions(int limit, TimeSpan window)
    {
        var tokens = Math.Max(1, limit / 600);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = window * tokens / (limit - 2 * tokens),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        };
    }

    /// <summary>Waits for a pause to end and for a token of the rate limit.</summary>
    public async ValueTask AcquireAsync(string corpId, CancellationToken cancellationToken)
    {
        var limits = Limits(corpId);
        while (true)
        {
            var pause = new DateTimeOffset(Interlocked.Read(ref limits.PausedUntilTicks), TimeSpan.Zero) - _time.GetUtcNow();
            if (pause <= TimeSpan.Zero)
                break;
            await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
        }

        using var token = await limits.Rate.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pauses every call to the enterprise after a rate-limit answer (too many calls: the rest of the minute; too many at once: a moment).</summary>
    public void BackOff(string corpId, WeComRateLimit limit)
    {
        var pause = limit switch
        {
            WeComRateLimit.Calls => _options.Value.RateLimitedPause,
            WeComRateLimit.ConcurrentCalls => _options.Value.ConcurrencyLimitedPause,
            _ => TimeSpan.Zero,
        };
        var limits = Limits(corpId);
        if (limit == WeComRateLimit.ConcurrentCalls)
            limits.Pace.TooManyConcurrentCalls();
        if (pause <= TimeSpan.Zero)
            return;
        var until = (_time.GetUtcNow() + pause).UtcTicks;
        long current;
        do
        {
            current = Interlocked.Read(ref limits.PausedUntilTicks);
            if (current >= until)
                return;
        }
        while (Interlocked.CompareExchange(ref limits.PausedUntilTicks, until, current) != current);
    }

    public void Dispose()
    {
        foreach (var limits in _limits.Values)
            limits.Dispose();
    }
}
