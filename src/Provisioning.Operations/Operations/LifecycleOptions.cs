namespace Provisioning.Operations;

/// <summary>Section <c>Lifecycle</c>: what the leaver commands may do.</summary>
public sealed class LifecycleOptions
{
    public const string SectionName = "Lifecycle";

    /// <summary>
    /// Whether <c>DeleteMember</c> is carried out. A delete is irreversible and also deletes the member's mailbox; when
    /// off, each one fails as <c>NotAllowed</c> and nothing is sent to WeCom.
    /// </summary>
    /// <value>The default is false.</value>
    public bool AllowDelete { get; set; }

    /// <summary>
    /// The deletion guard: at most this many disables and deletes (a <c>DisableMember</c>, a <c>DeleteMember</c>, an
    /// update or sync with <c>enable: false</c>) per enterprise in <see cref="DeletionWindow"/>, over every replica.
    /// Beyond it they are held (not applied, not failed) until an operator releases or rejects them
    /// (<c>provisioning-cli held</c>); other commands and other enterprises go on. 0 turns the guard off.
    /// </summary>
    /// <value>The default is 50.</value>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000, ErrorMessage = "Lifecycle:DeletionThreshold must be between 0 (off) and 1000000.")]
    public int DeletionThreshold { get; set; } = 50;

    /// <summary>The sliding window of <see cref="DeletionThreshold"/>.</summary>
    /// <value>The default is 1 hour.</value>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Lifecycle:DeletionWindow must be between 1 second and 7 days.")]
    public TimeSpan DeletionWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a command waits in process while an earlier command for the same member is running (commands for one
    /// member apply in arrival order, never at once). Past it, or at once when the earlier one is parked for a retry,
    /// the command goes to the member-wait queue and comes back after <see cref="MemberWaitDelay"/>.
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Lifecycle:MemberWaitInProcess must be between 0 and 10 minutes.")]
    public TimeSpan MemberWaitInProcess { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after it was sent an update, disable or enable that finds no member (60111) is tried again instead of
    /// failing as <c>NotFound</c>: the create published just before it may be on another replica, or parked for a retry.
    /// It goes behind the member's other commands each time. Only for messages that carry their send time.
    /// </summary>
    /// <value>The default is 1 minute.</value>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Lifecycle:NotFoundGrace must be between 0 and 1 day.")]
    public TimeSpan NotFoundGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a command waits in the member-wait queue (<c>{input}_wait_{delay}</c>) before it is tried again.</summary>
    /// <value>The default is 5 seconds.</value>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Lifecycle:MemberWaitDelay must be between 100 ms and 1 hour.")]
    public TimeSpan MemberWaitDelay { get; set; } = TimeSpan.FromSeconds(5);
}
