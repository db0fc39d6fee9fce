using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Messaging;
using Provisioning.Consumer.WeCom;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// A lane's policy (one lane per enterprise, see <see cref="CorpLanes"/>): the enterprise's pace (its adaptive or fixed
/// number of commands in flight, <see cref="CorpPace"/>) gates every command, the transport hands over as many as that
/// can ever be (a fixed setting gets twice as many prefetched), then delayed-retry parking and holding, and the outbox.
/// </summary>
internal sealed class CreateMemberConsumerDefinition : ConsumerDefinition<CreateMemberConsumer>
{
    readonly ConsumerOptions _options;
    readonly WeComLimitsOptions _limits;
    readonly ParkingFilter? _parking;
    readonly CorpLanes? _lanes;
    readonly WeComThrottle? _throttle;

    public CreateMemberConsumerDefinition(IOptions<ConsumerOptions> options, IOptions<WeComLimitsOptions> limits, ParkingFilter? parking = null,
        CorpLanes? lanes = null, WeComThrottle? throttle = null)
    {
        _options = options.Value;
        _limits = limits.Value;
        _parking = parking;
        _lanes = lanes;
        _throttle = throttle;
        ConcurrentMessageLimit = _limits.ConcurrencyBound;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CreateMemberConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.PrefetchCount = _limits.ConcurrentCalls is { } fixedLimit ? 2 * fixedLimit : _limits.MaxConcurrentCalls;
        HostileInput.Configure(endpointConfigurator, _options);

        // What the consumer's in-process retries could not heal is parked for a delayed retry, or dead-lettered.
        // Validation failures and business rejections never get here: they are published outcomes, not exceptions.
        if (_parking is not null)
            endpointConfigurator.UseFilter(_parking);

        // Inside parking: a command waiting for its enterprise's slot is parked or held like any other.
        if (_lanes?.CorpOf(endpointConfigurator.InputAddress) is { } corpId && _throttle is not null)
            endpointConfigurator.UseFilter(new CorpPaceFilter(_throttle.Pace(corpId)));

        // Events published by an attempt leave only when it succeeds: no outcome for an attempt that threw.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
