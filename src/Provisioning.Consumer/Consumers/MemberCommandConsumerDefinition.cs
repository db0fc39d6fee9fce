using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Messaging;
using Provisioning.Consumer.Retries;
using Provisioning.Operations;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// A lane's policy (one lane per enterprise and command type, see <see cref="CorpLanes"/>): the enterprise's pace (its
/// adaptive or fixed number of commands in flight, <see cref="CorpPace"/>) gates every command, the transport hands over
/// as many as that can ever be (a fixed setting gets twice as many prefetched), then delayed-retry parking and holding,
/// and the outbox.
/// </summary>
internal sealed class MemberCommandConsumerDefinition<TCommand> : ConsumerDefinition<MemberCommandConsumer<TCommand>>
    where TCommand : class
{
    readonly ConsumerOptions _options;
    readonly WeComLimitsOptions _limits;
    readonly IServiceProvider _services;

    public MemberCommandConsumerDefinition(IOptions<ConsumerOptions> options, IOptions<WeComLimitsOptions> limits, IServiceProvider services)
    {
        _options = options.Value;
        _limits = limits.Value;
        _services = services;
        ConcurrentMessageLimit = _limits.ConcurrencyBound;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<MemberCommandConsumer<TCommand>> consumerConfigurator, IRegistrationContext context)
    {
        HostileInput.Configure(endpointConfigurator, _options);
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _limits.ConcurrentCalls is { } fixedLimit ? 2 * fixedLimit : _limits.MaxConcurrentCalls;
            // What the consumer's in-process retries could not heal is parked for a delayed retry (RabbitMQ queues with a
            // TTL), or dead-lettered. Validation failures and business rejections never get here: they are outcomes.
            endpointConfigurator.UseFilter(new ParkingFilter<TCommand>(_services.GetRequiredService<RetryParking>(),
                _services.GetRequiredService<ProvisioningInstrumentation>(), _services.GetRequiredService<RequestLog.RequestLogRecorder>(),
                _services.GetRequiredService<ILogger<RetryParking>>()));
        }

        // Inside parking: a command waiting for its enterprise's slot is parked or held like any other.
        if (_services.GetRequiredService<CorpLanes>().CorpOf(endpointConfigurator.InputAddress) is { } corpId)
            endpointConfigurator.UseFilter(new CorpPaceFilter(_services.GetRequiredService<WeComThrottle>().Pace(corpId)));

        // Events published by an attempt leave only when it succeeds: no outcome for an attempt that threw.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
