using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Idempotency;
using Provisioning.Consumer.WeCom;

namespace Provisioning.Consumer.Consumers;

/// <summary>The <c>create-member</c> endpoint's policy: concurrency, prefetch, retries and the outbox.</summary>
internal sealed class CreateMemberConsumerDefinition : ConsumerDefinition<CreateMemberConsumer>
{
    readonly ConsumerOptions _options;
    readonly TimeSpan _lease;

    public CreateMemberConsumerDefinition(IOptions<ConsumerOptions> options, IOptions<IdempotencyOptions> idempotency)
    {
        _options = options.Value;
        _lease = idempotency.Value.LeaseDuration;
        EndpointName = _options.QueueName;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CreateMemberConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.PrefetchCount = _options.PrefetchCount;

        // A duplicate whose request another delivery is working on waits here, in process, until that one ends or
        // its lease expires (the intervals add up to more than one lease).
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Exponential(10, TimeSpan.FromMilliseconds(200), _lease / 2, TimeSpan.FromMilliseconds(200));
            retry.Handle<RequestInProgressException>();
        });

        // Only transient WeCom failures are retried in process; validation and business rejections are
        // published as outcomes and never thrown. A deserialization failure never reaches this filter: it goes
        // straight to create-member_error with its reason.
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Exponential(_options.RetryLimit, _options.RetryMinInterval, _options.RetryMaxInterval,
                TimeSpan.FromTicks(Math.Max(_options.RetryMinInterval.Ticks, 1)));
            retry.Handle<WeComTransientException>();
        });

        // Events published by an attempt leave only when it succeeds: no outcome for an attempt that threw.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
