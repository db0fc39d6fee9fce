using Microsoft.Extensions.Options;
using Provisioning.Storage.RequestLog;

namespace Provisioning.Consumer.RequestLog;

/// <summary>Deletes requests and audit lines older than <see cref="RequestLogOptions.Retention"/>, every <see cref="RequestLogOptions.CleanupInterval"/>.</summary>
internal sealed partial class RequestLogCleanupService(
    RequestLogStore store,
    IOptions<RequestLogOptions> options,
    TimeProvider time,
    ILogger<RequestLogCleanupService> logger) : BackgroundService
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
                LogPurgeFailed(logger, ex.GetBaseException().Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Request log: deleted {Count} requests past their retention")]
    static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Request log: could not delete requests past their retention ({Reason})")]
    static partial void LogPurgeFailed(ILogger logger, string reason);
}
