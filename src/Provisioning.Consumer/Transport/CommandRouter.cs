using MassTransit;
using Provisioning.Consumer.Pipeline;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// On a command type's input queue, with several enterprises: after the screen (<see cref="ScreenStep{TCommand}"/>),
/// which answers what needs no WeCom call, puts every command in its enterprise's lane of the same type
/// (<see cref="CorpLanes"/>), where the command steps and <see cref="CommandConsumer{TCommand}"/> take it. One
/// enterprise's pause or backlog then never holds up another's commands.
/// </summary>
internal sealed class CommandRouter<TCommand>(CommandQueues queues) : IConsumer<TCommand>
    where TCommand : class, IProvisioningCommand
{
    public async Task Consume(ConsumeContext<TCommand> context)
    {
        var corpId = context.GetPayload<CommandTicket>().CorpId;
        // Transport headers of ours must survive the move: the retry tier of a parked command, an operator's decision on
        // a command the deletion guard held.
        var tier = RetryParking.TierOf(context.ReceiveContext);
        var decision = TransportHeader.GuardDecision(context.ReceiveContext);
        // To the lane's exchange (declared with the lane, bound to it), mandatory: a missing lane fails the move
        // instead of losing the command.
        await context.Forward(new Uri($"exchange:{CommandQueueNames.Lane(queues.InputOf<TCommand>(), corpId)}"), Pipe.Execute<SendContext<TCommand>>(send =>
        {
            if (tier > 0)
                send.Headers.Set(ProvisioningHeaders.RetryTier, tier);
            if (decision is not null)
                send.Headers.Set(ProvisioningHeaders.Guard, decision);
            if (send.TryGetPayload(out RabbitMqSendContext? rabbit))
                rabbit.Mandatory = true;
        })).ConfigureAwait(false);
    }
}
