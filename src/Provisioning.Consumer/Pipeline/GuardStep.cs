using MassTransit;
using Provisioning.Consumer.RequestLog;
using Provisioning.Contracts;
using Provisioning.Operations;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// The deletion guard's step, for a command that removes its entity (a disable or delete): it goes on when the guard
/// admits it or an operator released it; an operator's rejection is its outcome (<c>NotAllowed</c>); beyond the guard's
/// threshold it is held for an operator (the transport moves it to the held queue). Other commands pass.
/// </summary>
internal sealed class GuardStep<TCommand>(IMemberOperation<TCommand> operation, DeletionGuard guard, TransientRetry retry, RequestLogRecorder requestLog,
    TimeProvider time) : IFilter<ConsumeContext<TCommand>>
    where TCommand : class, IProvisioningCommand
{
    public async Task Send(ConsumeContext<TCommand> context, IPipe<ConsumeContext<TCommand>> next)
    {
        var turn = context.GetPayload<Turn<TCommand>>();
        if (!operation.Removes(turn.Command))
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }
        var delivery = context.GetPayload<Delivery>();
        if (delivery.GuardDecision == ProvisioningHeaders.GuardRejected)
        {
            turn.Outcome = turn.Outcomes(time.GetUtcNow()).Failed(FailureReasons.NotAllowed, "rejected by an operator from the deletion guard: not applied");
            return;
        }
        var admitted = await retry.Pipeline.ExecuteAsync(
            async token => await guard.AdmitAsync(turn.Request, delivery.GuardDecision == ProvisioningHeaders.GuardReleased, token).ConfigureAwait(false),
            context.CancellationToken).ConfigureAwait(false);
        if (admitted)
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }
        turn.Held = true;
        delivery.Move = DeliveryMove.ToHeldQueue;
        requestLog.Held(context.ReceiveContext);
        guard.Held(turn.Ticket.CorpId, turn.Ticket.Descriptor.Name, turn.Ticket.Key.UserId);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("deletionGuard");
}
