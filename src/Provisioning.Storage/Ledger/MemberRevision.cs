namespace Provisioning.Storage;

/// <summary>What of a member a command sets: whether it exists and is enabled, and its profile fields.</summary>
[Flags]
public enum MemberAspects
{
    None = 0,

    /// <summary>Exists, enabled or disabled: create, delete, disable, enable, an update or sync with <c>enable</c>.</summary>
    State = 1,

    /// <summary>The profile fields: create, sync, an update with any field.</summary>
    Profile = 2,
}

/// <summary>
/// How new a command is for its member: the publisher's <paramref name="Version"/> when it gave one, else the time it was
/// sent (<paramref name="SentAt"/>: MassTransit's sent time, or the AMQP timestamp of a plain-JSON message), for the
/// <paramref name="Aspects"/> it sets. Each aspect is judged on its own (<see cref="AppliedRevision.StaleAspects"/>):
/// a newer disable does not void an older change of position.
/// </summary>
public sealed record MemberRevision(long? Version, DateTimeOffset? SentAt, MemberAspects Aspects = MemberAspects.State | MemberAspects.Profile)
{
    public static readonly MemberRevision None = new(null, null);

    /// <summary>The command's place in its member's order: when it was sent, else now, its first arrival (UTC ticks).</summary>
    public long Place(TimeProvider time) => (SentAt ?? time.GetUtcNow()).UtcTicks;
}

/// <summary>
/// What was applied to a member last, per aspect: the highest version and the latest send time of the commands applied
/// that set it (each kept apart: a disable's version says nothing about the profile).
/// </summary>
public sealed record AppliedRevision(long? StateVersion, long? ProfileVersion, DateTimeOffset? StateSentAt, DateTimeOffset? ProfileSentAt)
{
    /// <summary>
    /// The aspects of <paramref name="command"/> that are older than what was applied: by version when the command has
    /// one (against that aspect's version), else by send time (against that aspect's send time).
    /// </summary>
    public MemberAspects StaleAspects(MemberRevision command)
    {
        var stale = MemberAspects.None;
        if (command.Aspects.HasFlag(MemberAspects.State) && IsOlder(command, StateVersion, StateSentAt))
            stale |= MemberAspects.State;
        if (command.Aspects.HasFlag(MemberAspects.Profile) && IsOlder(command, ProfileVersion, ProfileSentAt))
            stale |= MemberAspects.Profile;
        return stale;
    }

    static bool IsOlder(MemberRevision command, long? appliedVersion, DateTimeOffset? appliedSentAt) => command.Version is { } version
        ? appliedVersion > version
        : command.SentAt is { } sentAt && appliedSentAt > sentAt;

    /// <summary>Why <paramref name="aspect"/> of <paramref name="command"/> is older, in words, for the outcome.</summary>
    public string Explain(MemberRevision command, MemberAspects aspect, string userId)
    {
        var what = aspect == MemberAspects.State ? "state (exists, enabled)" : "profile";
        return command.Version is { } version
            ? $"version {version} is older than version {(aspect == MemberAspects.State ? StateVersion : ProfileVersion)} already applied to the {what} of member {userId}"
            : $"it was sent at {command.SentAt:O}, before a command already applied to the {what} of member {userId} (sent at {(aspect == MemberAspects.State ? StateSentAt : ProfileSentAt):O})";
    }
}
