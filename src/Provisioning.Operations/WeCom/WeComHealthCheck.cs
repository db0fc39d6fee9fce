using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Provisioning.WeCom;

/// <summary>Unhealthy while an enterprise is paused, saying why (never with a secret: causes are WeCom's codes and messages).</summary>
internal sealed class WeComHealthCheck(WeComAvailability availability) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pauses = availability.Pauses();
        if (pauses.Count == 0)
            return Task.FromResult(HealthCheckResult.Healthy("Every configured enterprise is usable."));
        var description = string.Join("; ", pauses.Select(p => $"corp {p.CorpId} paused since {p.Since:O}, next probe {p.NextProbeAt:O}: {p.Cause}"));
        return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, description));
    }
}
