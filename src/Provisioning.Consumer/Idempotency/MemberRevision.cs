namespace Provisioning.Consumer.Idempotency;

/// <summary>
/// How new a command is for its member: the publisher's <paramref name="Version"/> when it gave one, else the time it was
/// sent (<paramref name="SentAt"/>: MassTransit's sent time, or the AMQP timestamp of a plain-JSON message). A command
/// older than the one applied last to its member is not applied.
/// </summary>
public sealed record MemberRevision(long? Version, DateTimeOffset? SentAt)
{
    public static readonly MemberRevision None = new(null, null);
}
