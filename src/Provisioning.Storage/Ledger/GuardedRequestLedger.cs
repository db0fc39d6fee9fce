using System.Data.Common;

namespace Provisioning.Storage;

/// <summary>
/// Wraps the configured store: every database, I/O or time-out failure becomes a <see cref="StoreUnavailableException"/>
/// (one exception type for the retry and parking policy).
/// </summary>
internal sealed class GuardedRequestLedger(IRequestLedger inner) : IRequestLedger, IRemovalCounter
{
    public Task<IdempotencyClaim> TryBeginAsync(IdempotencyKey key, string userId, MemberRevision revision, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        Guard("claim", () => inner.TryBeginAsync(key, userId, revision, owner, lease, cancellationToken), cancellationToken);

    public Task<bool> CompleteAsync(IdempotencyKey key, string owner, bool succeeded, StoredOutcome outcome, MemberRevision? applied, CancellationToken cancellationToken) =>
        Guard("complete", () => inner.CompleteAsync(key, owner, succeeded, outcome, applied, cancellationToken), cancellationToken);

    public Task ReleaseAsync(IdempotencyKey key, string owner, int extraAttempts, ReleaseAs release, TimeSpan waitLease, CancellationToken cancellationToken) =>
        Guard("release", async () => { await inner.ReleaseAsync(key, owner, extraAttempts, release, waitLease, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<bool> TryAdmitRemovalAsync(IdempotencyKey key, int threshold, TimeSpan window, bool force, CancellationToken cancellationToken) =>
        Guard("admit removal", () => ((IRemovalCounter)inner).TryAdmitRemovalAsync(key, threshold, window, force, cancellationToken), cancellationToken);

    public Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken) =>
        Guard("purge", () => inner.PurgeAsync(endedBefore, cancellationToken), cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) =>
        Guard("ping", async () => { await inner.PingAsync(cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    static async Task<T> Guard<T>(string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            throw new StoreUnavailableException(operation, ex);
        }
    }

    // Our own cancellation is not an outage; a driver's time-out or a broken connection is.
    static bool IsUnavailable(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        DbException or IOException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException => true,
        InvalidOperationException { InnerException: DbException or IOException or System.Net.Sockets.SocketException } => true,
        _ => false,
    };
}
