using MassTransit;
using Provisioning.Contracts;
using Provisioning.Consumer.RequestLog;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// The enterprise's gate: a command goes on only with a slot of its enterprise's pace (<see cref="CorpPace"/>), before its
/// claim, so the commands waiting beyond the adaptive limit hold no lease and no WeCom connection. The slot is the
/// delivery's payload: a step that waits gives it back meanwhile (<see cref="PaceSlot.AsideAsync"/>). A command of an
/// enterprise that is paused, before or while it runs, goes back to its lane: not an attempt, not a failure.
/// </summary>
internal sealed class PaceStep<TCommand>(WeComThrottle throttle, WeComAvailability availability, RequestLogRecorder requestLog, TimeProvider time)
    : IFilter<ConsumeContext<TCommand>>
    where TCommand : class, IProvisioningCommand
{
    public async Task Send(ConsumeContext<TCommand> context, IPipe<ConsumeContext<TCommand>> next)
    {
        var corpId = context.GetPayload<CommandTicket>().CorpId;
        var delivery = context.GetPayload<Delivery>();
        try
        {
            // Paused after it was routed: back to the lane, unclaimed and unattempted.
            if (availability.IsHeld(corpId))
                throw new CorpPausedException(corpId, "paused", time.GetUtcNow());
            using var slot = await throttle.Pace(corpId).EnterAsync(context.CancellationToken).ConfigureAwait(false);
            context.AddOrUpdatePayload(() => slot, _ => slot);
            // The WeCom client and the in-process retries add what they wait for (a token, the rate limit, a retry delay)
            // to the slot they run under; they know no delivery, so they find it on the flow.
            PaceSlot.Current = slot;
            await next.Send(context).ConfigureAwait(false);
        }
        catch (CorpPausedException paused)
        {
            delivery.Move = DeliveryMove.BackToLane;
            requestLog.Waiting(context.ReceiveContext, $"back in its enterprise's lane until WeCom answers again: {paused.Message}");
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("pace");
}
