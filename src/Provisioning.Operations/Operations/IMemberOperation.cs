using Provisioning.Rules;
using Provisioning.Storage;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary>
/// One command type's part in the pipeline (the consumer and its filters): its WeCom call and how the answer maps to an outcome. Everything else (lanes, pace, idempotency,
/// member order, retries, recording and publishing) is the pipeline's and the same for every operation.
/// </summary>
internal interface IMemberOperation<TCommand>
    where TCommand : class, IProvisioningCommand
{
    /// <summary>
    /// Whether the deletion guard counts it: it disables or deletes its entity (the catalogue's rule). An operation that
    /// refuses such a command before any call overrides it (a delete while deletes are off removes nothing).
    /// </summary>
    bool Removes(TCommand command) => CommandCatalogue.Of<TCommand>().Removes(command);

    /// <summary>What of the member it sets, for the order by send time (<see cref="MemberRevision"/>).</summary>
    MemberAspects Touches(TCommand command);

    /// <summary>
    /// The command reduced to the aspects in <paramref name="keep"/>, when it sets others too and they can be applied
    /// apart (an update's <c>enable</c> and its fields); null when it is applied whole or not at all (a create or sync
    /// brings the member into being with its profile). Used when only some of its aspects are older than what was applied.
    /// </summary>
    TCommand? Narrow(TCommand command, MemberAspects keep) => null;

    /// <summary>
    /// Makes the WeCom call(s) of a validated command and decides the outcome. Failures that are not the command's fault
    /// (transient, systemic) are thrown as <see cref="WeCom.WeComException"/> for the retries.
    /// </summary>
    Task<Outcome> ApplyAsync(string corpId, TCommand command, OutcomeFactory outcomes, CancellationToken cancellationToken);
}
