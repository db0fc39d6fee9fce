using Microsoft.Extensions.Options;
using Provisioning.Storage;

namespace Provisioning.Consumer.Storage;

/// <summary>Deletes ended requests and members' applied versions older than <see cref="IdempotencyOptions.Retention"/> every <see cref="IdempotencyOptions.CleanupInterval"/>, off the consume path.</summary>
internal sealed partial class IdempotencyCleanupService(
    IRequestLedger store,
    IOptions<IdempotencyOptions> options,
    TimeProvider time,
    ILogger<IdempotencyCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, time);
        do
        {
            try
            {
                var deleted = await store.PurgeAsync(time.GetUtcNow() - options.Value.Retention, stoppingToken).ConfigureAwait(false);
                if (deleted > 0)
                    LogPurged(logger, deleted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next round tries again; consumption is unaffected.
                LogPurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Deleted {Count} idempotency entries (ended requests, members' applied versions) past their retention")]
    static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Could not delete expired idempotency entries")]
    static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
