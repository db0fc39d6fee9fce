using MassTransit;
using Provisioning.Consumer.Pipeline;
using Microsoft.Extensions.Options;

namespace Provisioning.Consumer.Transport;

/// <summary>An input queue's policy: how many commands are routed at once, the prefetch, hostile input, and the outbox.</summary>
internal sealed class CommandRouterDefinition<TCommand> : ConsumerDefinition<CommandRouter<TCommand>>
    where TCommand : class, Contracts.IProvisioningCommand
{
    readonly ConsumerOptions _options;

    readonly QueueType _queueType;

    public CommandRouterDefinition(IOptions<ConsumerOptions> options, IOptions<RabbitMqOptions> rabbit, CommandQueues queues)
    {
        _options = options.Value;
        _queueType = rabbit.Value.QueueType;
        EndpointName = queues.InputOf<TCommand>();
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CommandRouter<TCommand>> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _options.PrefetchCount;
            // Replicated across a cluster; the error queue inherits the input queue's arguments, so it is one too.
            if (_queueType == QueueType.Quorum)
                rabbit.SetQuorumQueue();
        }
        HostileInput.Configure(endpointConfigurator, _options);
        endpointConfigurator.UseConsumeFilter(typeof(DeliveryFilter<>), context);
        endpointConfigurator.UseScreenStep(context);
        // The command reaches its lane (and an answer is published) only when routing succeeded, before the ack.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
