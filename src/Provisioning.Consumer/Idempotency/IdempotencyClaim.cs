namespace Provisioning.Consumer.Idempotency;

/// <summary>What <see cref="IIdempotencyStore.TryBeginAsync"/> found.</summary>
public enum ClaimStatus
{
    /// <summary>This delivery owns the request now (new, our own retry, or a dead owner's lease that expired): apply it.</summary>
    Started,

    /// <summary>Another delivery holds a live lease on the request: try again later.</summary>
    InProgressElsewhere,

    /// <summary>The request ended: publish its stored outcome again.</summary>
    Completed,

    /// <summary>
    /// An earlier command for the same member has not ended (in progress, or parked for a retry): this one must wait
    /// for it, holding no lease. Commands for one member apply in the order they first arrived.
    /// </summary>
    WaitingForMember,

    /// <summary>This delivery owns the request, but a command with a higher version was applied to the member already: do not apply it.</summary>
    Superseded,
}

/// <summary>A claim's result.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Attempts">For <see cref="ClaimStatus.Started"/> and <see cref="ClaimStatus.Superseded"/>: how many times processing began,
/// this one included. Above 1, an earlier attempt may already have called WeCom.</param>
/// <param name="LeaseExpiresAt">For <see cref="ClaimStatus.InProgressElsewhere"/>: when the other owner's lease runs out.</param>
/// <param name="Outcome">For <see cref="ClaimStatus.Completed"/>: the outcome published then.</param>
/// <param name="BlockedBy">For <see cref="ClaimStatus.WaitingForMember"/>: the earlier request of the member, and whether it is running now
/// (a live lease) rather than parked.</param>
/// <param name="Applied">For <see cref="ClaimStatus.Superseded"/>: the member's revision applied last.</param>
public sealed record IdempotencyClaim(ClaimStatus Status, int Attempts = 0, DateTimeOffset? LeaseExpiresAt = null, StoredOutcome? Outcome = null,
    (Guid RequestId, bool Running)? BlockedBy = null, AppliedRevision? Applied = null)
{
    public static IdempotencyClaim Started(int attempts) => new(ClaimStatus.Started, attempts);

    public static IdempotencyClaim Elsewhere(DateTimeOffset leaseExpiresAt) => new(ClaimStatus.InProgressElsewhere, LeaseExpiresAt: leaseExpiresAt);

    public static IdempotencyClaim Completed(StoredOutcome outcome) => new(ClaimStatus.Completed, Outcome: outcome);

    public static IdempotencyClaim Waiting(Guid blockedBy, bool running) => new(ClaimStatus.WaitingForMember, BlockedBy: (blockedBy, running));

    public static IdempotencyClaim Stale(int attempts, AppliedRevision applied) => new(ClaimStatus.Superseded, attempts, Applied: applied);
}
