namespace Provisioning.Consumer.Idempotency;

/// <summary>What <see cref="IIdempotencyStore.TryBeginAsync"/> found.</summary>
public enum ClaimStatus
{
    /// <summary>This delivery owns the request now (new, our own retry, or a dead owner's lease that expired).</summary>
    Started,

    /// <summary>Another delivery holds a live lease on the request: try again later.</summary>
    InProgressElsewhere,

    /// <summary>The request ended: publish its stored outcome again.</summary>
    Completed,
}

/// <summary>A claim's result.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Attempts">For <see cref="ClaimStatus.Started"/>: how many times processing began, this one included. Above 1, an
/// earlier attempt may already have called WeCom.</param>
/// <param name="LeaseExpiresAt">For <see cref="ClaimStatus.InProgressElsewhere"/>: when the other owner's lease runs out.</param>
/// <param name="Outcome">For <see cref="ClaimStatus.Completed"/>: the outcome published then.</param>
public sealed record IdempotencyClaim(ClaimStatus Status, int Attempts = 0, DateTimeOffset? LeaseExpiresAt = null, StoredOutcome? Outcome = null)
{
    public static IdempotencyClaim Started(int attempts) => new(ClaimStatus.Started, attempts);

    public static IdempotencyClaim Elsewhere(DateTimeOffset leaseExpiresAt) => new(ClaimStatus.InProgressElsewhere, LeaseExpiresAt: leaseExpiresAt);

    public static IdempotencyClaim Completed(StoredOutcome outcome) => new(ClaimStatus.Completed, Outcome: outcome);
}
