using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Provisioning.Consumer.Transport;

/// <summary>Unhealthy until the parking queues are declared: without them a transient failure could not be parked.</summary>
internal sealed class RetryParkingHealthCheck(RetryParking parking) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(parking.IsReady
            ? HealthCheckResult.Healthy("The retry parking queues are declared.")
            : new HealthCheckResult(context.Registration.FailureStatus, "Not connected to RabbitMQ: the retry parking queues are not declared yet."));
}
