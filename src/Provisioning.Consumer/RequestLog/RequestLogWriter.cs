using Provisioning.Storage.RequestLog;
namespace Provisioning.Consumer.RequestLog;

/// <summary>
/// Writes the queued steps, all that queued up meanwhile in one transaction (up to <see cref="MaxBatch"/>). A failed
/// write is tried again with the same steps after a growing pause; at shutdown what is queued is written first.
/// </summary>
internal sealed partial class RequestLogWriter(RequestLogBuffer log, RequestLogStore store, TimeProvider time, ILogger<RequestLogWriter> logger)
    : BackgroundService
{
    const int MaxBatch = 500;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        log.Complete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RequestEvent>(MaxBatch);
        var reader = log.Pending;
        // Not stoppingToken: after Complete the queue drains and the loop ends by itself.
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var step))
                batch.Add(step);
            var delay = TimeSpan.FromMilliseconds(500);
            for (var failures = 0; ; failures++)
            {
                try
                {
                    await store.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                    if (failures > 0)
                        LogRecovered(logger, failures);
                    break;
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException or TimeoutException)
                {
                    if (failures == 0)
                        LogWriteFailed(logger, ex.GetBaseException().Message);
                    if (stoppingToken.IsCancellationRequested)
                        return;
                    try
                    {
                        await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }
            }
            batch.Clear();
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Request log: could not write to its store ({Reason}); trying again, commands are not affected")]
    static partial void LogWriteFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Request log: writing again after {Failures} failed attempt(s)")]
    static partial void LogRecovered(ILogger logger, int failures);
}
