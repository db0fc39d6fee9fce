using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Provisioning.WeCom;

/// <summary>
/// Whether an enterprise can be worked with at all. A systemic failure (wrong secret, untrusted IP, no permission,
/// seat limit, or WeCom unreachable for <see cref="WeComLimitsOptions.UnreachableAfter"/>) pauses every call to it:
/// its commands stay in the broker and none fails because of it. After a growing delay one call goes through as a
/// probe; the first answer that is not systemic resumes everyone. State changes are logged once.
/// </summary>
internal sealed partial class WeComAvailability
{
    readonly IOptions<WeComLimitsOptions> options;
    readonly TimeProvider time;
    readonly ILogger<WeComAvailability> logger;

    public WeComAvailability(IOptions<WeComLimitsOptions> options, TimeProvider time, ILogger<WeComAvailability> logger, IMeterFactory? meters = null)
    {
        this.options = options;
        this.time = time;
        this.logger = logger;
        // 1 while an enterprise is paused (wrong secret, untrusted IP, WeCom unreachable, …), else 0: for alerts.
        meters?.Create(Operations.ProvisioningInstrumentation.Name).CreateObservableGauge("provisioning.wecom.paused",
            () => _corps.Select(c => new Measurement<int>(c.Value.Cause is null ? 0 : 1, new KeyValuePair<string, object?>("corp_id", c.Key))),
            "{enterprise}", "1 while the enterprise is paused (its commands wait in the broker), else 0.");
    }

    // WeCom's messages end in ", hint: [1700000000_12_abc], from ip: 1.2.3.4, more info at https://…", which differ per answer.
    [GeneratedRegex(@"hint: \[[^\]]*\]|from ip: [^,\s]*|more info at \S*")]
    private static partial Regex VolatileParts();

    /// <summary>What makes two causes the same cause: the text without WeCom's per-answer hint id, IP and link.</summary>
    internal static string CauseKey(string cause) => VolatileParts().Replace(cause, "");

    static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(1);
    static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(2);

    sealed class CorpState
    {
        public string? Cause;
        public DateTimeOffset Since;
        public DateTimeOffset NextProbeAt;
        public TimeSpan Backoff;
        public DateTimeOffset? ProbeStartedAt;
        public DateTimeOffset? FailingSince;
    }

    /// <summary>A paused enterprise, for health reports.</summary>
    public sealed record Pause(string CorpId, string Cause, DateTimeOffset Since, DateTimeOffset NextProbeAt);

    readonly ConcurrentDictionary<string, CorpState> _corps = new(StringComparer.Ordinal);

    /// <summary>Raised with the corp id when an enterprise pauses, or a probe fails: its lane stops at once.</summary>
    public event Action<string>? Paused;

    public IReadOnlyList<Pause> Pauses()
    {
        var pauses = new List<Pause>();
        foreach (var (corpId, state) in _corps)
        {
            lock (state)
            {
                if (state.Cause is not null)
                    pauses.Add(new Pause(corpId, state.Cause, state.Since, state.NextProbeAt));
            }
        }
        return pauses;
    }

    /// <summary>
    /// Returns at once while the enterprise is usable, or when it is this caller's turn to probe a paused one. While a
    /// probe is under way, waits for its answer (seconds). Otherwise throws <see cref="CorpPausedException"/>: the
    /// command goes back to the broker (its enterprise's lane queue), instead of holding a slot for the whole pause.
    /// </summary>
    public async ValueTask WaitAsync(string corpId, CancellationToken cancellationToken)
    {
        var state = _corps.GetOrAdd(corpId, _ => new CorpState());
        while (true)
        {
            lock (state)
            {
                if (state.Cause is null)
                    return;
                var now = time.GetUtcNow();
                var probeRunning = state.ProbeStartedAt is { } started && now - started < ProbeTimeout;
                if (!probeRunning && now >= state.NextProbeAt)
                {
                    state.ProbeStartedAt = now;
                    return;
                }
                if (!probeRunning)
                    throw new CorpPausedException(corpId, state.Cause, state.NextProbeAt);
            }
            await Task.Delay(MaxPoll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether the enterprise's commands are to stay in the broker now: paused, no probe under way and none due yet.
    /// Its lane stops consuming meanwhile (the consumer's <c>CorpLanes</c>).
    /// </summary>
    public bool IsHeld(string corpId)
    {
        if (!_corps.TryGetValue(corpId, out var state))
            return false;
        lock (state)
        {
            var now = time.GetUtcNow();
            var probeRunning = state.ProbeStartedAt is { } started && now - started < ProbeTimeout;
            return state.Cause is not null && !probeRunning && now < state.NextProbeAt;
        }
    }

    /// <summary>Records a call's class: the one input to the pause.</summary>
    public void Report(string corpId, WeComErrorClass errorClass, string description)
    {
        var state = _corps.GetOrAdd(corpId, _ => new CorpState());
        var now = time.GetUtcNow();
        bool paused;
        lock (state)
        {
            switch (errorClass)
            {
                case WeComErrorClass.Configuration or WeComErrorClass.Quota:
                    PauseLocked(corpId, state, now, description);
                    break;
                case WeComErrorClass.Transient or WeComErrorClass.TokenInvalid:
                    state.FailingSince ??= now;
                    if (state.Cause is not null)
                        PauseLocked(corpId, state, now, state.Cause);
                    else if (now - state.FailingSince >= options.Value.UnreachableAfter)
                        PauseLocked(corpId, state, now, $"WeCom unreachable since {state.FailingSince:O}: {description}");
                    break;
                default:
                    // WeCom answered and our configuration works: whatever the command's fate, the enterprise is usable.
                    state.FailingSince = null;
                    if (state.Cause is not null)
                    {
                        LogResumed(logger, corpId, now - state.Since);
                        state.Cause = null;
                        state.ProbeStartedAt = null;
                    }
                    break;
            }
            paused = state.Cause is not null;
        }
        if (paused)
            Paused?.Invoke(corpId);
    }

    void PauseLocked(string corpId, CorpState state, DateTimeOffset now, string cause)
    {
        var limits = options.Value;
        if (state.Cause is null)
        {
            state.Since = now;
            state.Backoff = limits.ProbeInitialDelay;
            LogPaused(logger, corpId, cause);
        }
        else
        {
            // A failed probe: wait longer next time. The cause is logged again only if it changed, not when only
            // WeCom's hint id (new in every answer) or the calling IP in its message did.
            state.Backoff = TimeSpan.FromTicks(Math.Min(state.Backoff.Ticks * 2, limits.ProbeMaxDelay.Ticks));
            if (CauseKey(cause) != CauseKey(state.Cause))
                LogCauseChanged(logger, corpId, cause);
        }
        state.Cause = cause;
        state.ProbeStartedAt = null;
        state.NextProbeAt = now + state.Backoff;
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Error,
        Message = "Consumption for corp {CorpId} paused: {Cause}. Commands stay queued; probing again with backoff")]
    static partial void LogPaused(ILogger logger, string corpId, string cause);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "Corp {CorpId} is still paused, now because: {Cause}")]
    static partial void LogCauseChanged(ILogger logger, string corpId, string cause);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Corp {CorpId} resumed after {Paused}")]
    static partial void LogResumed(ILogger logger, string corpId, TimeSpan paused);
}
