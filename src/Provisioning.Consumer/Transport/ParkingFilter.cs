using System.Diagnostics;
using MassTransit;
using Provisioning.Storage;
using Provisioning.Operations;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// Outside the in-process retries: a delivery that still fails transiently (WeCom or the idempotency store) is parked for
/// the next delay tier. After the last tier the exception goes on to MassTransit's error queue; the pipeline has told the
/// publisher by then (<c>RetriesExhausted</c>). Every other exception passes through untouched.
/// </summary>
internal sealed class ParkingFilter<TCommand>(
    RetryParking parking,
    ProvisioningInstrumentation instrumentation,
    RequestLog.RequestLogRecorder requestLog,
    ILogger<RetryParking> logger) : IFilter<ConsumeContext<TCommand>>
    where TCommand : class
{
    public async Task Send(ConsumeContext<TCommand> context, IPipe<ConsumeContext<TCommand>> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next.Send(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WeComTransientException or StoreUnavailableException
            && RetryParking.TierOf(context.ReceiveContext) is var tier && tier < parking.Tiers.Count)
        {
            await parking.ParkAsync(context.ReceiveContext, tier, context.CancellationToken).ConfigureAwait(false);
            // Handled here, not by a consumer: without this MassTransit would also copy it to _skipped.
            await context.NotifyConsumed(context, Stopwatch.GetElapsedTime(started), nameof(ParkingFilter<TCommand>)).ConfigureAwait(false);
            instrumentation.Parked(tier + 1);
            requestLog.Parked(context.ReceiveContext, tier + 1, parking.Tiers[tier], ex.Message);
            context.ReceiveContext.TryGetPayload(out CommandKey? key);
            ParkingLog.Parked(logger, key?.UserId ?? "?", key?.RequestId ?? Guid.Empty, CommandQueues.QueueOf(context.ReceiveContext.InputAddress),
                parking.Tiers[tier], tier + 1, ex.Message);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("retryParking");
}
