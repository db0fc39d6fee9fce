using Provisioning.Storage;

namespace Provisioning.Consumer.Tests.Storage;

/// <summary>A real store whose next operations of one kind fail with an I/O error, as a database outage would.</summary>
internal sealed class FlakyStore(IRequestLedger inner) : IRequestLedger, IRemovalCounter
{
    int _failClaims;
    int _failCompletes;

    public void FailNextClaims(int count) => Volatile.Write(ref _failClaims, count);

    public void FailNextCompletes(int count) => Volatile.Write(ref _failCompletes, count);

    static void MaybeFail(ref int remaining)
    {
        if (Interlocked.Decrement(ref remaining) >= 0)
            throw new IOException("disk I/O error (injected)");
    }

    public Task<IdempotencyClaim> TryBeginAsync(IdempotencyKey key, string userId, MemberRevision revision, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        MaybeFail(ref _failClaims);
        return inner.TryBeginAsync(key, userId, revision, owner, lease, cancellationToken);
    }

    public Task<bool> CompleteAsync(IdempotencyKey key, string owner, bool succeeded, StoredOutcome outcome, MemberRevision? applied, CancellationToken cancellationToken)
    {
        MaybeFail(ref _failCompletes);
        return inner.CompleteAsync(key, owner, succeeded, outcome, applied, cancellationToken);
    }

    public Task ReleaseAsync(IdempotencyKey key, string owner, int extraAttempts, ReleaseAs release, TimeSpan waitLease, CancellationToken cancellationToken) =>
        inner.ReleaseAsync(key, owner, extraAttempts, release, waitLease, cancellationToken);

    public Task<bool> TryAdmitRemovalAsync(IdempotencyKey key, int threshold, TimeSpan window, bool force, CancellationToken cancellationToken) =>
        ((IRemovalCounter)inner).TryAdmitRemovalAsync(key, threshold, window, force, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

    public Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken) => inner.PurgeAsync(endedBefore, cancellationToken);
}
