using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Provisioning.Storage;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// The in-process retries (Polly): transient WeCom and idempotency-store failures, <see cref="ConsumerOptions.RetryLimit"/> times with
/// exponential, jittered delays; then the message is parked for a delayed retry. A systemic failure is retried without
/// limit, but each call waits in <see cref="WeComAvailability"/> until the enterprise is usable again, so the command
/// stays unfailed and WeCom is only probed.
/// </summary>
internal sealed class TransientRetry
{
    public TransientRetry(IOptions<ConsumerOptions> options, TimeProvider time)
    {
        var consumer = options.Value;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<WeComSystemicException>(),
            MaxRetryAttempts = int.MaxValue,
            Delay = TimeSpan.Zero,
        });
        if (consumer.RetryLimit > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                // The idempotency store is a dependency like WeCom: its outages are retried the same way.
                ShouldHandle = new PredicateBuilder().Handle<WeComTransientException>().Handle<StoreUnavailableException>(),
                MaxRetryAttempts = consumer.RetryLimit,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = consumer.RetryMinInterval,
                MaxDelay = consumer.RetryMaxInterval,
                // A retry's delay is not service time for the adaptive concurrency.
                OnRetry = args =>
                {
                    PaceSlot.Current?.AddWaited(args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }
        Pipeline = builder.Build();
    }

    public ResiliencePipeline Pipeline { get; }
}
