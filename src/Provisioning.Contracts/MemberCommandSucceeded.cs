namespace Provisioning.Contracts;

/// <summary>
/// What every success event says (<see cref="MemberCreated"/>, <see cref="MemberUpdated"/>, …). Subscribe to this type to
/// receive them all.
/// </summary>
public abstract record MemberCommandSucceeded
{
    /// <summary>The command's request id.</summary>
    public Guid RequestId { get; init; }

    /// <summary>The enterprise (the default corp id when the command named none).</summary>
    public string CorpId { get; init; } = "";

    /// <summary>The member's userid, as the command gave it.</summary>
    public string UserId { get; init; } = "";

    /// <summary>How many WeCom calls were made for the command, over every delivery.</summary>
    public int Attempts { get; init; }

    /// <summary>The command's version, when it had one: from now on older commands for this member are not applied.</summary>
    public long? Version { get; init; }

    /// <summary>When the outcome was decided.</summary>
    public DateTimeOffset OccurredAt { get; init; }
}
