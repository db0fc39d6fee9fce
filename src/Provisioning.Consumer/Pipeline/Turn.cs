using Provisioning.Operations;
using Provisioning.Storage;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// One command's turn, from its claim to its outcome: the command as it is applied (without what is older than what was
/// applied), the attempts so far, and what the steps inside it decided. A payload set by <see cref="TurnStep{TCommand}"/>.
/// </summary>
internal sealed class Turn<TCommand>(TCommand command, CommandTicket ticket, IdempotencyKey request, int attempts,
    IReadOnlyList<string> notes, IReadOnlyList<string> notApplied)
    where TCommand : class
{
    public TCommand Command { get; } = command;

    public CommandTicket Ticket { get; } = ticket;

    public IdempotencyKey Request { get; } = request;

    /// <summary>Attempts so far: those of earlier deliveries and this delivery's in-process retries.</summary>
    public int Attempts { get; private set; } = attempts;

    /// <summary>The outcome, once an inner step or the operation decided it.</summary>
    public Outcome? Outcome { get; set; }

    /// <summary>Held by the deletion guard: no outcome, out of its entity's way until an operator decides.</summary>
    public bool Held { get; set; }

    /// <summary>The outcomes of an answer that makes no attempt (the guard's rejection).</summary>
    public OutcomeFactory Outcomes(DateTimeOffset now) => Factory(Attempts, now);

    /// <summary>The outcomes of one more attempt at WeCom.</summary>
    public OutcomeFactory NextAttempt(DateTimeOffset now) => Factory(++Attempts, now);

    OutcomeFactory Factory(int attempts, DateTimeOffset now) =>
        new(Ticket.Descriptor.NewFailure, Ticket.Key, Ticket.CorpId, attempts, now, notes, notApplied);
}
