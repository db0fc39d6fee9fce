using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Provisioning.Consumer.WeCom;

/// <summary>
/// Keeps each enterprise's pace: at most <see cref="WeComLimitsOptions.ConcurrentCalls"/> calls in flight and
/// <see cref="WeComLimitsOptions.CallsPerMinute"/> in any 60-second window, and a pause for everyone after WeCom says
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

        public readonly TokenBucketRateLimiter Rate = CreateRate(options.CallsPerMinute);

        public long PausedUntilTicks;

        public void Dispose()
        {
            Concurrency.Dispose();
            Rate.Dispose();
        }
    }

    readonly ConcurrentDictionary<string, CorpLimits> _limits = new(StringComparer.Ordinal);

    /// <summary>
    /// A bucket that never allows more than <paramref name="perMinute"/> calls in any 60-second window: it holds at most
    /// one period's tokens, and 61 periods' worth fit in the budget (one full bucket plus 60 refills).
    /// </summary>
    internal static TokenBucketRateLimiter CreateRate(int perMinute)
    {
        var (tokens, period) = perMinute >= 61
            ? (perMinute / 61, TimeSpan.FromSeconds(1))
            : (1, TimeSpan.FromSeconds(61.0 / perMinute));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
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
