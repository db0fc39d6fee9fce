using System.Text.Json;
using Provisioning.Storage;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary>
/// The one outcome of a request, a closed set: the command was applied, or it failed. Each knows how the request ledger
/// keeps it, whatever the operation.
/// </summary>
internal abstract record Outcome
{
    static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    Outcome()
    {
    }

    public abstract bool Succeeded { get; }

    /// <summary>The event, as published.</summary>
    public abstract object Event { get; }

    public StoredOutcome ToStored() => new(Event.GetType().Name, JsonSerializer.Serialize(Event, Event.GetType(), Json));

    /// <summary>What the store kept, as the outcome it was.</summary>
    public static Outcome FromStored(StoredOutcome stored)
    {
        var type = typeof(MemberCommandSucceeded).Assembly.GetType($"{typeof(MemberCommandSucceeded).Namespace}.{stored.MessageType}");
        return JsonSerializer.Deserialize(stored.Json, type ?? typeof(object), Json) switch
        {
            MemberCommandSucceeded success => new Applied(success),
            MemberCommandFailed failure => new Failed(failure),
            _ => throw new InvalidOperationException($"The idempotency store holds an outcome of unknown type '{stored.MessageType}'."),
        };
    }

    /// <summary>The command was applied (or found applied by an earlier attempt).</summary>
    public sealed record Applied(MemberCommandSucceeded Success) : Outcome
    {
        public override bool Succeeded => true;

        public override object Event => Success;
    }

    /// <summary>The command failed for a reason of <see cref="FailureReasons"/>.</summary>
    public sealed record Failed(MemberCommandFailed Failure) : Outcome
    {
        public override bool Succeeded => false;

        public override object Event => Failure;
    }
}
