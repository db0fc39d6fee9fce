using Microsoft.Extensions.Options;
using Provisioning.Operations;
using Provisioning.Storage.RequestLog;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Operator;

/// <summary>
/// One enterprise as an operator sees it: usable or paused (why, since when, next probe), its deletion guard, and what
/// it used of WeCom's rate in the last minute. Pauses and the guard are this replica's view; use comes from the log.
/// </summary>
public sealed record EnterpriseState(
    string CorpId,
    bool Usable,
    string? PausedBecause,
    DateTimeOffset? PausedSince,
    DateTimeOffset? NextProbeAt,
    DateTimeOffset? DeletionGuardTrippedSince,
    int HeldRemovals,
    int ConcurrencyLimit,
    int InFlight,
    long EndedLastMinute,
    long CallsLastMinute,
    int CallsPerMinuteLimit);

internal sealed class EnterpriseStates(
    CorpDirectory corps,
    WeComAvailability availability,
    DeletionGuard guard,
    WeComThrottle throttle,
    RequestLogStore log,
    IOptions<WeComLimitsOptions> limits,
    TimeProvider time)
{
    public async Task<IReadOnlyList<EnterpriseState>> ListAsync(IReadOnlyList<WaitingCommand> held, CancellationToken cancellationToken)
    {
        var pauses = availability.Pauses().ToDictionary(p => p.CorpId, StringComparer.Ordinal);
        var use = await log.RecentUseAsync(time.GetUtcNow().AddMinutes(-1), cancellationToken).ConfigureAwait(false);
        return corps.All.Select(corpId =>
        {
            pauses.TryGetValue(corpId, out var pause);
            use.TryGetValue(corpId, out var used);
            var pace = throttle.Pace(corpId);
            return new EnterpriseState(corpId, pause is null, pause?.Cause, pause?.Since, pause?.NextProbeAt,
                guard.Tripped.TryGetValue(corpId, out var tripped) ? tripped : null,
                held.Count(h => h.CorpId == corpId),
                pace.Limit, pace.InFlight, used.Ended, used.Calls, limits.Value.CallsPerMinute);
        }).ToList();
    }
}
