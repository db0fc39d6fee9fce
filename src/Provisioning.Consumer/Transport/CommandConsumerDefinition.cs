using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Pipeline;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// A lane's endpoint (one per enterprise and command type, see <see cref="CorpLanes"/>): hostile input refused, the
/// transport hands over as many commands as the enterprise's pace can ever let run (a fixed setting gets twice as many
/// prefetched), parking outside everything (what the in-process retries could not heal is parked for a delayed retry),
/// the delivery's facts and moves, then the command steps (<see cref="CommandSteps"/>) and the consumer.
/// </summary>
internal sealed class CommandConsumerDefinition<TCommand> : ConsumerDefinition<CommandConsumer<TCommand>>
    where TCommand : class, Contracts.IProvisioningCommand
{
    readonly ConsumerOptions _options;
    readonly WeComLimitsOptions _limits;

    public CommandConsumerDefinition(IOptions<ConsumerOptions> options, IOptions<WeComLimitsOptions> limits)
    {
        _options = options.Value;
        _limits = limits.Value;
        ConcurrentMessageLimit = _limits.ConcurrencyBound;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CommandConsumer<TCommand>> consumerConfigurator, IRegistrationContext context)
    {
        HostileInput.Configure(endpointConfigurator, _options);
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _limits.ConcurrentCalls is { } fixedLimit ? 2 * fixedLimit : _limits.MaxConcurrentCalls;
            // Validation failures and business rejections never get here: they are outcomes.
            endpointConfigurator.UseConsumeFilter(typeof(ParkingFilter<>), context);
        }
        // Events published by the steps leave only when the delivery ends without an exception: a command that is
        // answered and then fails (its outcome's record, a move) is not answered and dead-lettered as well.
        endpointConfigurator.UseInMemoryOutbox(context);
        endpointConfigurator.UseConsumeFilter(typeof(DeliveryFilter<>), context);
        endpointConfigurator.UseCommandSteps(context);
    }
}
