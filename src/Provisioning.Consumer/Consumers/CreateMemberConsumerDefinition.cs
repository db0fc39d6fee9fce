using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Messaging;
using Provisioning.Consumer.WeCom;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// A lane's policy (one lane per enterprise, see <see cref="CorpLanes"/>): as many commands at once as calls the
/// enterprise may have in flight, a prefetch of twice that, delayed-retry parking and holding, and the outbox.
/// </summary>
internal sealed class CreateMemberConsumerDefinition : ConsumerDefinition<CreateMemberConsumer>
{
    readonly ConsumerOptions _options;
    readonly WeComLimitsOptions _limits;
    readonly ParkingFilter? _parking;

    public CreateMemberConsumerDefinition(IOptions<ConsumerOptions> options, IOptions<WeComLimitsOptions> limits, ParkingFilter? parking = null)
    {
        _options = options.Value;
        _limits = limits.Value;
        _parking = parking;
        ConcurrentMessageLimit = _limits.ConcurrentCalls;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CreateMemberConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.PrefetchCount = 2 * _limits.ConcurrentCalls;
        HostileInput.Configure(endpointConfigurator, _options);

        // What the consumer's in-process retries could not heal is parked for a delayed retry, or dead-lettered.
        // Validation failures and business rejections never get here: they are published outcomes, not exceptions.
        if (_parking is not null)
            endpointConfigurator.UseFilter(_parking);

        // Events published by an attempt leave only when it succeeds: no outcome for an attempt that threw.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
