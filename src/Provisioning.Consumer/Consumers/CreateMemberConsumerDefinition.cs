using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Messaging;

namespace Provisioning.Consumer.Consumers;

/// <summary>The <c>create-member</c> endpoint's policy: concurrency, prefetch, delayed-retry parking and the outbox.</summary>
internal sealed class CreateMemberConsumerDefinition : ConsumerDefinition<CreateMemberConsumer>
{
    readonly ConsumerOptions _options;
    readonly ParkingFilter? _parking;

    public CreateMemberConsumerDefinition(IOptions<ConsumerOptions> options, ParkingFilter? parking = null)
    {
        _options = options.Value;
        _parking = parking;
        EndpointName = _options.QueueName;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CreateMemberConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.PrefetchCount = _options.PrefetchCount;

        // What the consumer's in-process retries could not heal is parked for a delayed retry, or dead-lettered.
        // Validation failures and business rejections never get here: they are published outcomes, not exceptions.
        // A message that cannot be deserialized never gets here either: it goes straight to create-member_error.
        if (_parking is not null)
            endpointConfigurator.UseFilter(_parking);

        // Events published by an attempt leave only when it succeeds: no outcome for an attempt that threw.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
