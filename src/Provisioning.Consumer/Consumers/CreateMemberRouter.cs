using MassTransit;
using Provisioning.Consumer.Messaging;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// On the input queue: answers what needs no WeCom call (an unknown enterprise, an invalid command) and puts every
/// other command in its enterprise's lane (<see cref="CorpLanes"/>), where <see cref="CreateMemberConsumer"/> takes it.
/// One enterprise's pause or backlog then never holds up another's commands.
/// </summary>
internal sealed class CreateMemberRouter(CommandScreen screen, CorpLanes lanes) : IConsumer<CreateMember>
{
    public async Task Consume(ConsumeContext<CreateMember> context)
    {
        if (await screen.ScreenAsync(context).ConfigureAwait(false) is not { } corpId)
            return;

        // The retry tier is a transport header set when the command was parked: it must survive the move.
        var tier = RetryParking.TierOf(context.ReceiveContext);
        // To the lane's exchange (declared with the lane, bound to it), mandatory: a missing lane fails the move
        // instead of losing the command.
        await context.Forward(new Uri($"exchange:{lanes.QueueOf(corpId)}"), Pipe.Execute<SendContext<CreateMember>>(send =>
        {
            if (tier > 0)
                send.Headers.Set(RetryParking.TierHeader, tier);
            if (send.TryGetPayload(out RabbitMqSendContext? rabbit))
                rabbit.Mandatory = true;
        })).ConfigureAwait(false);
    }
}
