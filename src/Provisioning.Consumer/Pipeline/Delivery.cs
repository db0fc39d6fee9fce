namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// What the transport tells the steps of one delivery, read from its queue and headers before they run (no step reads
/// a header or names a queue), and where the steps ask the transport to move it when they are done
/// (<see cref="Move"/>). A payload of the delivery's consume context, set by the transport's delivery filter.
/// </summary>
internal sealed class Delivery
{
    static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>When the command was sent, if its publisher said: the envelope's <c>sentTime</c>, or plain JSON's AMQP <c>timestamp</c>.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The field <see cref="SentAt"/> came from, to name it when it is refused.</summary>
    public string SentAtField { get; init; } = "sentTime";

    /// <summary>What an operator decided for a command the deletion guard held: released, rejected, or nothing.</summary>
    public string? GuardDecision { get; init; }

    /// <summary>Whether it was screened on its way here (it was routed to its enterprise's lane): it is not screened again.</summary>
    public bool Screened { get; init; }

    /// <summary>Whether this is its last retry tier: a transient failure now ends it (<c>RetriesExhausted</c>).</summary>
    public bool LastTier { get; init; }

    /// <summary>How it came (its queue, a retry tier, an operator's move), in words, for the provisioning log.</summary>
    public string HowItCame { get; init; } = "";

    /// <summary>
    /// Who owns the request's lease: this process and this one delivery. In-process retries of the delivery share it; a
    /// duplicate delivery, in this process or another, does not.
    /// </summary>
    public string Owner { get; } = $"{Instance}/{Guid.NewGuid():N}";

    /// <summary>Where the transport is to put the delivery once the steps are done; none means it ended here.</summary>
    public DeliveryMove Move { get; set; }
}

/// <summary>Where a delivery goes when the steps have not ended it.</summary>
internal enum DeliveryMove
{
    /// <summary>Ended: acknowledged.</summary>
    None,

    /// <summary>An earlier command of its entity has not ended, or its entity is not there yet: the wait queue.</summary>
    ToWaitQueue,

    /// <summary>The deletion guard holds it for an operator: the held queue.</summary>
    ToHeldQueue,

    /// <summary>Its enterprise is paused: back to the tail of its lane, which stops consuming meanwhile.</summary>
    BackToLane,
}
