namespace Provisioning.Storage;

/// <summary>What <see cref="IRequestLedger.TryBeginAsync"/> found.</summary>
public enum ClaimStatus
{
    /// <summary>
    /// This delivery owns the request now (new, our own retry, or a dead owner's lease that expired). The claim carries
    /// what was applied to the member last (<see cref="IdempotencyClaim.Applied"/>), for the pipeline's "newer wins".
    /// </summary>
    Started,

    /// <summary>Another delivery holds a live lease on the request: try again later.</summary>
    InProgressElsewhere,

    /// <summary>The request ended: publish its stored outcome again.</summary>
    Completed,

    /// <summary>
    /// An earlier command for the same member has not ended (running, waiting for its own turn, or parked for a retry):
    /// this one must wait for it. Commands for one member apply in the order they first arrived. The request is marked
    /// waiting under this delivery's lease: a later command of the member then waits in process too, not in a queue.
    /// </summary>
    WaitingForMember,
}

/// <summary>A claim's result.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Attempts">For <see cref="ClaimStatus.Started"/>: how many times processing began, this one included. Above 1,
/// an earlier attempt may already have called WeCom.</param>
/// <param name="LeaseExpiresAt">For <see cref="ClaimStatus.InProgressElsewhere"/>: when the other owner's lease runs out.</param>
/// <param name="Outcome">For <see cref="ClaimStatus.Completed"/>: the outcome published then.</param>
/// <param name="BlockedBy">For <see cref="ClaimStatus.WaitingForMember"/>: the earlier request of the member, and whether its
/// delivery is alive now (running, or waiting in process for its own turn) rather than parked in a queue.</param>
/// <param name="Applied">For <see cref="ClaimStatus.Started"/>: what was applied to the member last, when anything with a
/// version or a send time was.</param>
public sealed record IdempotencyClaim(ClaimStatus Status, int Attempts = 0, DateTimeOffset? LeaseExpiresAt = null, StoredOutcome? Outcome = null,
    (Guid RequestId, bool Running)? BlockedBy = null, AppliedRevision? Applied = null)
{
    public static IdempotencyClaim Started(int attempts, AppliedRevision? applied = null) => new(ClaimStatus.Started, attempts, Applied: applied);

    public static IdempotencyClaim Elsewhere(DateTimeOffset leaseExpiresAt) => new(ClaimStatus.InProgressElsewhere, LeaseExpiresAt: leaseExpiresAt);

    public static IdempotencyClaim Completed(StoredOutcome outcome) => new(ClaimStatus.Completed, Outcome: outcome);

    public static IdempotencyClaim Waiting(Guid blockedBy, bool running) => new(ClaimStatus.WaitingForMember, BlockedBy: (blockedBy, running));

    /// <summary>The aspects of <paramref name="revision"/> older than what was applied to the member.</summary>
    public MemberAspects StaleAspects(MemberRevision revision) => Applied?.StaleAspects(revision) ?? MemberAspects.None;
}
