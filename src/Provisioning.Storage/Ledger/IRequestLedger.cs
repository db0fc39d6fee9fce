namespace Provisioning.Storage;

/// <summary>
/// Remembers each request (corp id, request id): in progress under a lease owned by one delivery, or ended with the
/// outcome that was published. Shared by every consumer instance that must not create a member twice. It also keeps
/// each member's order (corp id, userid ignoring case): every request is numbered when it first arrives, and runs only
/// once every earlier request of its member has ended, so two commands for one member never run at once, in one process
/// or across replicas; and, per aspect of the member (state, profile), the highest version and latest send time applied.
/// The deletion guard's count is kept beside it, in the same database, but is a store of its own (<see cref="IRemovalCounter"/>).
/// </summary>
public interface IRequestLedger
{
    /// <summary>
    /// Claims the request for <paramref name="owner"/> for <paramref name="lease"/>: new requests, the owner's own
    /// retries and requests whose owner's lease expired are <see cref="ClaimStatus.Started"/> (with what was applied to the
    /// member last), unless an earlier request of the same member has not ended (<see cref="ClaimStatus.WaitingForMember"/>:
    /// the request is marked waiting under the lease, no attempt counted).
    /// </summary>
    Task<IdempotencyClaim> TryBeginAsync(IdempotencyKey key, string userId, MemberRevision revision, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Records the outcome; from now on the request is <see cref="ClaimStatus.Completed"/>. Only the owner may complete.
    /// A success with an <paramref name="applied"/> revision raises the member's applied version and send time of each
    /// aspect it sets (never lowers them).
    /// </summary>
    Task<bool> CompleteAsync(IdempotencyKey key, string owner, bool succeeded, StoredOutcome outcome, MemberRevision? applied, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the owner's lease early (its delivery failed and will be retried), so the next one need not wait for it.
    /// <paramref name="extraAttempts"/> adds the delivery's in-process retries to the request's attempt count;
    /// <paramref name="release"/> says what the request is from now on; <paramref name="waitLease"/> is how long a
    /// <see cref="ReleaseAs.Wait"/> keeps it.
    /// </summary>
    Task ReleaseAsync(IdempotencyKey key, string owner, int extraAttempts, ReleaseAs release, TimeSpan waitLease, CancellationToken cancellationToken);

    /// <summary>One cheap round trip, for readiness: throws when the store cannot be used.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes ended requests last updated before <paramref name="endedBefore"/>, and what was applied to members last
    /// updated before it that have no unfinished request; returns how many rows of both.
    /// </summary>
    Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken);
}
