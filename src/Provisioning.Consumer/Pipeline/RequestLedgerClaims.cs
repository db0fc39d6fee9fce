using Provisioning.Storage;
namespace Provisioning.Consumer.Pipeline;

internal static class RequestLedgerClaims
{
    // Other replicas' ends are not signalled here: a waiter looks again at least this often.
    static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Claims the request, waiting while another delivery holds a live lease on it (until that one ends: the claim is
    /// then <see cref="ClaimStatus.Completed"/>; or its lease expires: its owner died and this one takes over), and for
    /// up to <paramref name="memberWait"/> while an earlier command of the same member is running or itself waiting in
    /// process. It wakes when a request of the member ends in this process (<paramref name="turns"/>), else looks again
    /// every <see cref="MaxPoll"/>. A member whose earlier command is parked, or runs longer, comes back as
    /// <see cref="ClaimStatus.WaitingForMember"/>, still marked waiting under this delivery's lease. <paramref name="waiting"/>
    /// wraps each wait (the pipeline gives its enterprise's slot back meanwhile).
    /// </summary>
    public static async Task<IdempotencyClaim> ClaimAsync(this IRequestLedger store, IdempotencyKey key, string userId, MemberRevision revision, string owner,
        TimeSpan lease, TimeSpan memberWait, TurnSignals turns, TimeProvider time, CancellationToken cancellationToken, Func<Task, Task>? waiting = null)
    {
        var started = time.GetTimestamp();
        var member = TurnSignals.KeyOf(key.CorpId, userId);
        while (true)
        {
            var turn = turns.NextEnd(member);
            var claim = await store.TryBeginAsync(key, userId, revision, owner, lease, cancellationToken).ConfigureAwait(false);
            TimeSpan wait;
            if (claim.Status == ClaimStatus.InProgressElsewhere)
                wait = TimeSpan.FromTicks(Math.Clamp((claim.LeaseExpiresAt!.Value - time.GetUtcNow()).Ticks, TimeSpan.FromMilliseconds(20).Ticks, MaxPoll.Ticks));
            else if (claim.Status == ClaimStatus.WaitingForMember && claim.BlockedBy!.Value.Running && time.GetElapsedTime(started) < memberWait)
                wait = TimeSpan.FromTicks(Math.Min(MaxPoll.Ticks, (memberWait - time.GetElapsedTime(started)).Ticks));
            else
                return claim;
            var wake = turn.WaitAsync(wait, time, cancellationToken);
            await (waiting is null ? wake : waiting(wake)).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the lease early if the store can be reached; a store that is down lets the lease run out instead.</summary>
    public static async Task TryReleaseAsync(this IRequestLedger store, IdempotencyKey key, string owner, int extraAttempts, ReleaseAs release = ReleaseAs.Retry,
        TimeSpan waitLease = default)
    {
        try
        {
            await store.ReleaseAsync(key, owner, extraAttempts, release, waitLease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            // Nothing to do: the next delivery waits for the lease to expire, then takes over.
        }
    }
}
