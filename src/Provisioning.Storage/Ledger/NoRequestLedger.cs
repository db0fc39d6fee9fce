namespace Provisioning.Storage;

/// <summary><see cref="IdempotencyProvider.None"/>: remembers nothing, so every delivery starts afresh and keeps no member order. For benchmarks only.</summary>
internal sealed class NoRequestLedger : IRequestLedger, IRemovalCounter
{
    public Task<IdempotencyClaim> TryBeginAsync(IdempotencyKey key, string userId, MemberRevision revision, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        Task.FromResult(IdempotencyClaim.Started(1));

    public Task<bool> CompleteAsync(IdempotencyKey key, string owner, bool succeeded, StoredOutcome outcome, MemberRevision? applied, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task ReleaseAsync(IdempotencyKey key, string owner, int extraAttempts, ReleaseAs release, TimeSpan waitLease, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> TryAdmitRemovalAsync(IdempotencyKey key, int threshold, TimeSpan window, bool force, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken) => Task.FromResult(0);
}
