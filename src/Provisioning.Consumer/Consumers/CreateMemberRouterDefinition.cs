using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Messaging;

namespace Provisioning.Consumer.Consumers;

/// <summary>The input queue's policy: how many commands are routed at once, the prefetch, hostile input, and the outbox.</summary>
internal sealed class CreateMemberRouterDefinition : ConsumerDefinition<CreateMemberRouter>
{
    readonly ConsumerOptions _options;

    readonly QueueType _queueType;

    public CreateMemberRouterDefinition(IOptions<ConsumerOptions> options, IOptions<RabbitMqOptions> rabbit)
    {
        _options = options.Value;
        _queueType = rabbit.Value.QueueType;
        EndpointName = _options.QueueName;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CreateMemberRouter> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _options.PrefetchCount;
            // Replicated across a cluster; the error queue inherits the input queue's arguments, so it is one too.
            if (_queueType == QueueType.Quorum)
                rabbit.SetQuorumQueue();
        }
        HostileInput.Configure(endpointConfigurator, _options);
        // The command reaches its lane (and an answer is published) only when routing succeeded, before the ack.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
