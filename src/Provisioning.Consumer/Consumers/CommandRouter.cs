using MassTransit;
using Provisioning.Consumer.Messaging;
using Provisioning.Operations;
using Provisioning.Consumer.Retries;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// On a command type's input queue, with several enterprises: answers what needs no WeCom call (an unknown enterprise,
/// an invalid command) and puts every other command in its enterprise's lane of the same type (<see cref="CorpLanes"/>),
/// where <see cref="MemberCommandConsumer{TCommand}"/> takes it. One enterprise's pause or backlog then never holds up
/// another's commands.
/// </summary>
internal sealed class CommandRouter<TCommand>(IMemberOperation<TCommand> operation, CommandScreen screen, CommandQueues queues) : IConsumer<TCommand>
    where TCommand : class
{
    public async Task Consume(ConsumeContext<TCommand> context)
    {
        if (await screen.ScreenAsync(context, operation).ConfigureAwait(false) is not { } corpId)
            return;

        // Transport headers of ours must survive the move: the retry tier of a parked command, an operator's decision on
        // a command the deletion guard held.
        var tier = RetryParking.TierOf(context.ReceiveContext);
        var decision = TransportHeader.GuardDecision(context.ReceiveContext);
        // To the lane's exchange (declared with the lane, bound to it), mandatory: a missing lane fails the move
        // instead of losing the command.
        await context.Forward(new Uri($"exchange:{CorpLanes.QueueName(queues.InputOf<TCommand>(), corpId)}"), Pipe.Execute<SendContext<TCommand>>(send =>
        {
            if (tier > 0)
                send.Headers.Set(Contracts.ProvisioningHeaders.RetryTier, tier);
            if (decision is not null)
                send.Headers.Set(Contracts.ProvisioningHeaders.Guard, decision);
            if (send.TryGetPayload(out RabbitMqSendContext? rabbit))
                rabbit.Mandatory = true;
        })).ConfigureAwait(false);
    }
}
