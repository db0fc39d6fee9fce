using System.Text.Json;
using MassTransit;
using Provisioning.Consumer.Idempotency;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// The one outcome of a request, a closed set: a member created, or the command failed. Each knows whether it
/// succeeded, how the idempotency store keeps it, and how it is published (the first time, or again for a duplicate).
/// </summary>
internal abstract record Outcome
{
    /// <summary>Header on an outcome published again for a duplicate of a request that had ended.</summary>
    public const string ReplayHeader = "Provisioning-Replay";

    static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    Outcome()
    {
    }

    public abstract bool Succeeded { get; }

    public abstract StoredOutcome ToStored();

    public abstract Task PublishAsync(IPublishEndpoint endpoint, bool replay, CancellationToken cancellationToken);

    /// <summary>What the store kept, as the outcome it was.</summary>
    public static Outcome FromStored(StoredOutcome stored) => stored.MessageType switch
    {
        nameof(MemberCreated) => new Created(JsonSerializer.Deserialize<MemberCreated>(stored.Json, Json)!),
        nameof(MemberCreationFailed) => new Failed(JsonSerializer.Deserialize<MemberCreationFailed>(stored.Json, Json)!),
        _ => throw new InvalidOperationException($"The idempotency store holds an outcome of unknown type '{stored.MessageType}'."),
    };

    static void MarkReplay(PublishContext context, bool replay)
    {
        if (replay)
            context.Headers.Set(ReplayHeader, true);
    }

    /// <summary>The member exists in WeCom (created now, or found created by an earlier attempt).</summary>
    public sealed record Created(MemberCreated Event) : Outcome
    {
        public override bool Succeeded => true;

        public override StoredOutcome ToStored() => new(nameof(MemberCreated), JsonSerializer.Serialize(Event, Json));

        public override Task PublishAsync(IPublishEndpoint endpoint, bool replay, CancellationToken cancellationToken) =>
            endpoint.Publish(Event, context => MarkReplay(context, replay), cancellationToken);
    }

    /// <summary>The command failed for a reason of <see cref="FailureReasons"/>.</summary>
    public sealed record Failed(MemberCreationFailed Event) : Outcome
    {
        public override bool Succeeded => false;

        public override StoredOutcome ToStored() => new(nameof(MemberCreationFailed), JsonSerializer.Serialize(Event, Json));

        public override Task PublishAsync(IPublishEndpoint endpoint, bool replay, CancellationToken cancellationToken) =>
            endpoint.Publish(Event, context => MarkReplay(context, replay), cancellationToken);
    }
}
