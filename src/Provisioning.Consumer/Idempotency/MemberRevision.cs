namespace Provisioning.Consumer.Idempotency;

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
/// <paramref name="Aspects"/> it sets. A command older than one applied to its member is not applied: by version, or
/// by send time among commands that set the same aspect (a newer disable does not void an older change of position).
/// </summary>
public sealed record MemberRevision(long? Version, DateTimeOffset? SentAt, MemberAspects Aspects = MemberAspects.State | MemberAspects.Profile)
{
    public static readonly MemberRevision None = new(null, null);

    /// <summary>The command's place in its member's order: when it was sent, else now, its first arrival (UTC ticks).</summary>
    public long Place(TimeProvider time) => (SentAt ?? time.GetUtcNow()).UtcTicks;
}

/// <summary>A member's revisions applied last: its version, and the send time of the last command applied per aspect.</summary>
public sealed record AppliedRevision(long? Version, DateTimeOffset? StateSentAt, DateTimeOffset? ProfileSentAt)
{
    /// <summary>Whether <paramref name="command"/> is older than what was applied: by version when it has one, else by send time per aspect.</summary>
    public bool IsNewerThan(MemberRevision command) => command.Version is { } version
        ? Version > version
        : command.SentAt is { } sentAt &&
          ((command.Aspects.HasFlag(MemberAspects.State) && StateSentAt > sentAt) || (command.Aspects.HasFlag(MemberAspects.Profile) && ProfileSentAt > sentAt));

    /// <summary>The newest send time among the aspects <paramref name="command"/> sets, for the outcome's explanation.</summary>
    public DateTimeOffset? SentAtFor(MemberRevision command) =>
        new[] { command.Aspects.HasFlag(MemberAspects.State) ? StateSentAt : null, command.Aspects.HasFlag(MemberAspects.Profile) ? ProfileSentAt : null }.Max();
}
