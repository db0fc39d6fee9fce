namespace Provisioning.Consumer.Idempotency;

internal static class IdempotencyStoreExtensions
{
    static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Claims the request, waiting while another delivery holds a live lease on it: until that one ends (the claim is
    /// then <see cref="ClaimStatus.Completed"/>) or its lease expires (its owner died: this one takes over).
    /// </summary>
    public static async Task<IdempotencyClaim> ClaimAsync(this IIdempotencyStore store, IdempotencyKey key, string userId, string owner,
        TimeSpan lease, TimeProvider time, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var claim = await store.TryBeginAsync(key, userId, owner, lease, cancellationToken).ConfigureAwait(false);
            if (claim.Status != ClaimStatus.InProgressElsewhere)
                return claim;
            var untilExpiry = claim.LeaseExpiresAt!.Value - time.GetUtcNow();
            var wait = TimeSpan.FromTicks(Math.Clamp(untilExpiry.Ticks, delay.Ticks, MaxPoll.Ticks));
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPoll.Ticks));
        }
    }

    /// <summary>Ends the lease early if the store can be reached; a store that is down lets the lease run out instead.</summary>
    public static async Task TryReleaseAsync(this IIdempotencyStore store, IdempotencyKey key, string owner, int extraAttempts)
    {
        try
        {
            await store.ReleaseAsync(key, owner, extraAttempts, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            // Nothing to do: the next delivery waits for the lease to expire, then takes over.
        }
    }
}
