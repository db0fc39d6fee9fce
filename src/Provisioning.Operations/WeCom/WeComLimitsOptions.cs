using System.ComponentModel.DataAnnotations;

namespace Provisioning.WeCom;

/// <summary>
/// Section <c>WeCom:Limits</c>: the pace this instance keeps with each enterprise, and how it pauses when WeCom cannot
/// be used at all. WeCom allows 10,000 calls a minute per enterprise and API (document 90454) and publishes no
/// concurrency figure; divide the budget by the number of replicas.
/// </summary>
public sealed class WeComLimitsOptions
{
    public const string SectionName = "WeCom:Limits";

    /// <summary>Business calls per <see cref="RateWindow"/> and enterprise from this instance; never more in any such window.</summary>
    /// <value>The default is 9900, just below WeCom's 10,000 (about 165 creates a second).</value>
    [Range(10, 10_000_000, ErrorMessage = "WeCom:Limits:CallsPerMinute must be between 10 and 10000000.")]
    public int CallsPerMinute { get; set; } = 9900;

    /// <summary>The window <see cref="CallsPerMinute"/> counts over (WeCom's is a minute; shorter ones serve tests).</summary>
    /// <value>The default is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "WeCom:Limits:RateWindow must be between 1 second and 1 hour.")]
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A fixed number of commands (so of WeCom calls) in flight per enterprise from this instance. Unset, the number
    /// adapts: what the enterprise's rate needs at the latency observed, between <see cref="MinConcurrentCalls"/> and
    /// <see cref="MaxConcurrentCalls"/>, lower after a 45033 (too many concurrent calls).
    /// </summary>
    /// <value>The default is unset (adaptive).</value>
    [Range(1, 1000, ErrorMessage = "WeCom:Limits:ConcurrentCalls must be between 1 and 1000 (or unset, to adapt).")]
    public int? ConcurrentCalls { get; set; }

    /// <summary>The fewest commands in flight per enterprise the adaptive concurrency goes down to.</summary>
    /// <value>The default is 4.</value>
    [Range(1, 1000, ErrorMessage = "WeCom:Limits:MinConcurrentCalls must be between 1 and 1000.")]
    public int MinConcurrentCalls { get; set; } = 4;

    /// <summary>The most commands in flight per enterprise the adaptive concurrency goes up to; also each lane's prefetch.</summary>
    /// <value>The default is 256: WeCom's rate (167/s) at 1.2 s per call, with headroom.</value>
    [Range(1, 1000, ErrorMessage = "WeCom:Limits:MaxConcurrentCalls must be between 1 and 1000.")]
    public int MaxConcurrentCalls { get; set; } = 256;

    /// <summary>The most commands of one enterprise this instance has in flight: the fixed setting, else the adaptive maximum.</summary>
    public int ConcurrencyBound => ConcurrentCalls ?? MaxConcurrentCalls;

    /// <summary>How long every call to an enterprise waits after a 45009 (WeCom blocks the rest of the minute).</summary>
    /// <value>The default is 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "WeCom:Limits:RateLimitedPause must be between 0 and 1 hour.")]
    public TimeSpan RateLimitedPause { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long every call to an enterprise waits after a 45033 (too many concurrent calls).</summary>
    /// <value>The default is 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "WeCom:Limits:ConcurrencyLimitedPause must be between 0 and 10 minutes.")]
    public TimeSpan ConcurrencyLimitedPause { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a systemic failure, the first probe waits this long; each failed probe doubles it.</summary>
    /// <value>The default is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "WeCom:Limits:ProbeInitialDelay must be between 10 ms and 1 hour.")]
    public TimeSpan ProbeInitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between probes.</summary>
    /// <value>The default is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "WeCom:Limits:ProbeMaxDelay must be between 10 ms and 1 day.")]
    public TimeSpan ProbeMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Transient failures without a single answer for this long make WeCom "unreachable": a systemic pause.</summary>
    /// <value>The default is 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "WeCom:Limits:UnreachableAfter must be between 1 second and 1 day.")]
    public TimeSpan UnreachableAfter { get; set; } = TimeSpan.FromMinutes(2);
}
