using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioning.Consumer.Transport;

namespace Provisioning.Operations;

/// <summary>
/// Degraded while the deletion guard holds commands (in the broker's held queues, so every replica says so, also after a
/// restart): the service goes on with everything else, but an operator must decide. Healthy otherwise.
/// </summary>
internal sealed class DeletionGuardHealthCheck(RetryParking parking, DeletionGuard guard) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!parking.IsReady)
            return HealthCheckResult.Healthy("Held queues not checked: not connected to RabbitMQ yet (see retry-parking).");
        var held = (await parking.CountHeldAsync(cancellationToken).ConfigureAwait(false)).Where(q => q.Count > 0).ToList();
        var tripped = guard.Tripped.Keys.Order(StringComparer.Ordinal).ToList();
        if (held.Count == 0 && tripped.Count == 0)
            return HealthCheckResult.Healthy("No disable or delete is held.");
        var queues = held.Count == 0 ? "none held yet" : string.Join(", ", held.Select(q => $"{q.Count} in {q.Queue}"));
        var corps = tripped.Count == 0 ? "" : $"; tripped for corp {string.Join(", ", tripped)}";
        return HealthCheckResult.Degraded($"The deletion guard holds disables and deletes ({queues}{corps}): release or reject them with provisioning-cli held.");
    }
}
