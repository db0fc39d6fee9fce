using Microsoft.Extensions.Options;
using Provisioning.Storage;

namespace Provisioning.Consumer.Storage;

/// <summary>
/// The one purge: every <c>Storage:CleanupInterval</c>, off the consume path, each store deletes what is past its
/// retention (<see cref="StorePurge"/>: the ledger's ended requests and members' applied versions after
/// <c>Storage:Retention</c>, the provisioning log's requests after <c>Storage:RequestLog:Retention</c>). A store that
/// fails is tried again next round and does not keep the others from theirs.
/// </summary>
internal sealed partial class StoragePurgeService(
    IEnumerable<StorePurge> purges,
    IOptions<IdempotencyOptions> options,
    TimeProvider time,
    ILogger<StoragePurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, time);
        do
        {
            foreach (var purge in purges)
            {
                try
                {
                    var deleted = await purge.PurgeAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                    if (deleted > 0)
                        LogPurged(logger, deleted, purge.Store);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPurgeFailed(logger, purge.Store, ex.GetBaseException().Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Deleted {Count} entries of the {Store} past their retention")]
    static partial void LogPurged(ILogger logger, int count, string store);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Could not delete the {Store}'s entries past their retention ({Reason}); trying again next round")]
    static partial void LogPurgeFailed(ILogger logger, string store, string reason);
}
