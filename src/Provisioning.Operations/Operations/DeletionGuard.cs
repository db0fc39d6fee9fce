using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Provisioning.Storage;

namespace Provisioning.Operations;

/// <summary>
/// The accidental-deletion guard, as identity platforms have it: a broken source feed must not disable or delete a
/// whole enterprise. Counts each enterprise's disables and deletes in the store (every replica shares the count);
/// beyond <see cref="LifecycleOptions.DeletionThreshold"/> in <see cref="LifecycleOptions.DeletionWindow"/> they are held
/// for an operator. Logs a warning once per enterprise each time it trips.
/// </summary>
internal sealed partial class DeletionGuard(
    IRemovalCounter store,
    IOptions<LifecycleOptions> options,
    ProvisioningInstrumentation instrumentation,
    TimeProvider time,
    ILogger<DeletionGuard> logger)
{
    readonly ConcurrentDictionary<string, DateTimeOffset> _tripped = new(StringComparer.Ordinal);

    /// <summary>Enterprises whose guard tripped in this process, and since when (until a removal is admitted again).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Tripped => _tripped;

    /// <summary>Whether the removal may go ahead now; an operator's release always may.</summary>
    public async Task<bool> AdmitAsync(IdempotencyKey request, bool released, CancellationToken cancellationToken)
    {
        var threshold = options.Value.DeletionThreshold;
        if (threshold == 0)
            return true;
        var admitted = await store.TryAdmitRemovalAsync(request, threshold, options.Value.DeletionWindow, released, cancellationToken).ConfigureAwait(false);
        if (admitted && !released && _tripped.TryRemove(request.CorpId, out _))
            LogCleared(logger, request.CorpId);
        return admitted;
    }

    /// <summary>A removal of the enterprise was held: counted, and the first one since the guard tripped is logged.</summary>
    public void Held(string corpId, string operation, string userId)
    {
        instrumentation.RemovalHeld(corpId, operation);
        if (_tripped.TryAdd(corpId, time.GetUtcNow()))
            LogTripped(logger, corpId, options.Value.DeletionThreshold, options.Value.DeletionWindow, operation, userId);
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Warning,
        Message = "Deletion guard tripped for corp {CorpId}: more than {Threshold} disables and deletes in {Window}. Further ones are held, not applied " +
            "(first: {Operation} of {UserId}); other commands go on. Release or reject them with: provisioning-cli held release|reject")]
    static partial void LogTripped(ILogger logger, string corpId, int threshold, TimeSpan window, string operation, string userId);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Deletion guard for corp {CorpId}: disables and deletes are admitted again")]
    static partial void LogCleared(ILogger logger, string corpId);
}
