using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioning.Storage;

namespace Provisioning.Consumer.Storage;

/// <summary>Readiness of the idempotency store: one cheap round trip (<c>SELECT 1</c>), with the failure's reason.</summary>
internal sealed class RequestLedgerHealthCheck(GuardedRequestLedger store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The idempotency store answers.");
        }
        catch (StoreUnavailableException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, ex.Message);
        }
    }
}
