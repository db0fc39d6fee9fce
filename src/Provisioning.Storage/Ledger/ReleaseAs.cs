namespace Provisioning.Storage;

/// <summary>What a released request is from now on (see <see cref="IRequestLedger.ReleaseAsync"/>).</summary>
public enum ReleaseAs
{
    /// <summary>To be retried (parked, redelivered): it keeps its place, and its member's later commands wait for it in a queue.</summary>
    Retry,

    /// <summary>
    /// To be retried, but from the back of its member's order (now): a command placed by its arrival (no send time) that
    /// found no member yet, so that the create that arrives after it can go first instead of waiting behind it.
    /// </summary>
    RetryFromTheBack,

    /// <summary>Out of the way (its retries are exhausted, or the deletion guard holds it): no longer holds up its member; a replay or release may still claim it.</summary>
    SetAside,

    /// <summary>
    /// Waiting in process for a while (its member is not there yet): its delivery keeps the request under a lease, so that
    /// a duplicate waits for it and the member's later commands wait in process behind it, not in a queue.
    /// </summary>
    Wait,

    /// <summary><see cref="Wait"/>, from the back of its member's order (see <see cref="RetryFromTheBack"/>).</summary>
    WaitFromTheBack,
}
