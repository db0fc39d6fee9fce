using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Provisioning.Consumer.WeCom;

/// <summary>
/// Keeps each enterprise's pace: at most <see cref="WeComLimitsOptions.ConcurrentCalls"/> calls in flight and
/// <see cref="WeComLimitsOptions.CallsPerMinute"/> in any <see cref="WeComLimitsOptions.RateWindow"/>, and a pause for everyone after WeCom says
/// 45009 or 45033, so that one message's rate-limit answer does not burn the attempts of all the others.
/// </summary>
internal sealed class WeComThrottle(IOptions<WeComLimitsOptions> options, TimeProvider time) : IDisposable
{
    sealed class CorpLimits(WeComLimitsOptions options) : IDisposable
    {
        public readonly ConcurrencyLimiter Concurrency = new(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.ConcurrentCalls,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        public readonly TokenBucketRateLimiter Rate = new(RateOptions(options.CallsPerMinute, options.RateWindow));

        public long PausedUntilTicks;

        public void Dispose()
        {
            Concurrency.Dispose();
            Rate.Dispose();
        }
    }

    readonly ConcurrentDictionary<string, CorpLimits> _limits = new(StringComparer.Ordinal);

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

    /// <summary>Waits for a pause to end, a free slot and a token; dispose the result when the call has its answer.</summary>
    public async ValueTask<IDisposable> AcquireAsync(string corpId, CancellationToken cancellationToken)
    {
        var limits = _limits.GetOrAdd(corpId, _ => new CorpLimits(options.Value));
        while (true)
        {
            var pause = new DateTimeOffset(Interlocked.Read(ref limits.PausedUntilTicks), TimeSpan.Zero) - time.GetUtcNow();
            if (pause <= TimeSpan.Zero)
                break;
            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
        }

        var slot = await limits.Concurrency.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        using var token = await limits.Rate.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        return slot;
    }

    /// <summary>Pauses every call to the enterprise after a rate-limit answer (45009: the rest of the minute; 45033: a moment).</summary>
    public void BackOff(string corpId, int? errCode)
    {
        var pause = errCode switch
        {
            45009 => options.Value.RateLimitedPause,
            45033 => options.Value.ConcurrencyLimitedPause,
            _ => TimeSpan.Zero,
        };
        if (pause <= TimeSpan.Zero)
            return;
        var limits = _limits.GetOrAdd(corpId, _ => new CorpLimits(options.Value));
        var until = (time.GetUtcNow() + pause).UtcTicks;
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
