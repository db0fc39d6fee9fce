namespace Provisioning.Consumer.Idempotency;

/// <summary>
/// Remembers each request (corp id, request id): in progress under a lease owned by one delivery, or ended with the
/// outcome that was published. Shared by every consumer instance that must not create a member twice.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims the request for <paramref name="owner"/> for <paramref name="lease"/>: new requests, the owner's own
    /// retries and requests whose owner's lease expired are <see cref="ClaimStatus.Started"/>.
    /// </summary>
    Task<IdempotencyClaim> TryBeginAsync(IdempotencyKey key, string userId, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records the outcome; from now on the request is <see cref="ClaimStatus.Completed"/>. Only the owner may complete.</summary>
    Task<bool> CompleteAsync(IdempotencyKey key, string owner, bool succeeded, StoredOutcome outcome, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the owner's lease early (its delivery failed and will be retried), so the next one need not wait for it.
    /// <paramref name="extraAttempts"/> adds the delivery's in-process retries to the request's attempt count.
    /// </summary>
    Task ReleaseAsync(IdempotencyKey key, string owner, int extraAttempts, CancellationToken cancellationToken);

    /// <summary>One cheap round trip, for readiness: throws when the store cannot be used.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Deletes ended requests last updated before <paramref name="endedBefore"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken);
}
