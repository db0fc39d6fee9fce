using System.Diagnostics;
using MassTransit;
using Provisioning.Consumer.Idempotency;
using Provisioning.Consumer.Telemetry;
using Provisioning.Consumer.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Messaging;

/// <summary>
/// Outside the in-process retries: a delivery that still fails transiently (WeCom or the idempotency store) is parked for the next delay tier; after
/// the last tier it goes to the error queue and the publisher is told with <c>MemberCreationFailed</c>
/// <c>RetriesExhausted</c>. Every other exception passes through untouched.
/// </summary>
internal sealed partial class ParkingFilter(
    RetryParking parking,
    IServiceProvider services,
    CorpDirectory corps,
    ProvisioningInstrumentation instrumentation,
    TimeProvider time,
    ILogger<ParkingFilter> logger) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next.Send(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WeComTransientException or StoreUnavailableException && context.TryGetMessage<CreateMember>(out var message))
        {
            var tier = RetryParking.TierOf(context.ReceiveContext);
            if (tier < parking.Tiers.Count)
            {
                await parking.ParkAsync(context.ReceiveContext, tier, context.CancellationToken).ConfigureAwait(false);
                // Handled here, not by a consumer: without this MassTransit would also copy it to _skipped.
                await context.NotifyConsumed(message, Stopwatch.GetElapsedTime(started), nameof(ParkingFilter)).ConfigureAwait(false);
                instrumentation.Parked(tier + 1);
                LogParked(logger, message.Message.UserId, message.Message.RequestId, parking.Tiers[tier], tier + 1, ex.Message);
                return;
            }

            // Published on the bus itself, not through this delivery's outbox, which discards what a failed delivery
            // published; then the message goes on to the error queue.
            var command = message.Message;
            var failed = new MemberCreationFailed
            {
                RequestId = command.RequestId,
                CorpId = corps.TryResolve(command.CorpId, out var corpId) ? corpId : command.CorpId ?? "",
                UserId = command.UserId ?? "",
                Reason = FailureReasons.RetriesExhausted,
                ErrCode = (ex as WeComException)?.ErrCode,
                ErrMsg = ex.Message,
                Attempts = tier + 1,
                OccurredAt = time.GetUtcNow(),
            };
            await services.GetRequiredService<IBus>().Publish(failed, context.CancellationToken).ConfigureAwait(false);
            instrumentation.MemberFailed(failed.CorpId, failed.Reason, failed.ErrCode);
            LogExhausted(logger, command.UserId ?? "", command.RequestId, tier, ex.Message);
            throw;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("retryParking");

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning,
        Message = "Member {UserId} (request {RequestId}) parked for {Delay} (retry tier {Tier}) after: {Reason}")]
    static partial void LogParked(ILogger logger, string userId, Guid requestId, TimeSpan delay, int tier, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error,
        Message = "Member {UserId} (request {RequestId}) exhausted its {Tiers} retry tiers and goes to the error queue: {Reason}")]
    static partial void LogExhausted(ILogger logger, string userId, Guid requestId, int tiers, string reason);
}
