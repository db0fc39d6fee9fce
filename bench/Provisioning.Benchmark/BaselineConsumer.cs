using MassTransit;
using Provisioning.Contracts;

namespace Provisioning.Benchmark;

/// <summary>The baseline: a bare MassTransit consumer of the same command on the same broker that publishes a reply.</summary>
internal sealed class BaselineConsumer : IConsumer<CreateMember>
{
    public Task Consume(ConsumeContext<CreateMember> context) => context.Publish(new MemberCreated
    {
        RequestId = context.Message.RequestId,
        CorpId = context.Message.CorpId ?? "",
        UserId = context.Message.UserId,
        Attempts = 1,
        OccurredAt = DateTimeOffset.UtcNow,
    });

    /// <summary>Runs as its own process (<c>baseline-consumer AMQP_URI</c>) with our consumer's concurrency and prefetch.</summary>
    public static async Task<int> RunAsync(Uri broker)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker);
            cfg.ReceiveEndpoint("create-member", e =>
            {
                e.PrefetchCount = 64;
                e.ConcurrentMessageLimit = 32;
                e.Consumer<BaselineConsumer>();
            });
        });
        return await ProcessHost.RunUntilExitAsync(bus).ConfigureAwait(false);
    }
}
