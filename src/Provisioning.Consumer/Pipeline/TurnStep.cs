using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.RequestLog;
using Provisioning.Contracts;
using Provisioning.Operations;
using Provisioning.Storage;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// A command's turn among its entity's commands, and its one outcome. Claims the request in the ledger (a duplicate of an
/// ended request gets the stored outcome again; one in progress elsewhere is waited for); runs only once every earlier
/// command of its entity has ended (waiting in process while the earlier one runs or waits, in the wait queue while it is
/// parked); leaves out what is older than what was applied, aspect by aspect (<c>Superseded</c>, or a warning when the
/// rest is applied); lets the inner steps and the operation decide the outcome; records it, then publishes it. A command
/// whose entity is not there yet waits for it, costing WeCom nothing, woken when a command of the entity is applied here,
/// for up to <c>Lifecycle:MemberWaitInProcess</c>; then from the wait queue, until <c>Lifecycle:NotFoundGrace</c>.
/// </summary>
internal sealed class TurnStep<TCommand>(
    IMemberOperation<TCommand> operation,
    IRequestLedger ledger,
    IOptions<IdempotencyOptions> idempotency,
    IOptions<LifecycleOptions> lifecycle,
    TransientRetry retry,
    OutcomePublisher outcomes,
    RequestLogRecorder requestLog,
    TurnSignals turns,
    TimeProvider time) : IFilter<ConsumeContext<TCommand>>
    where TCommand : class, IProvisioningCommand
{
    public async Task Send(ConsumeContext<TCommand> context, IPipe<ConsumeContext<TCommand>> next)
    {
        var ticket = context.GetPayload<CommandTicket>();
        var delivery = context.GetPayload<Delivery>();
        var key = ticket.Key;
        requestLog.Received(context, key, ticket.CorpId, ticket.Descriptor.Name, delivery.HowItCame);
        var request = new IdempotencyKey(ticket.CorpId, key.RequestId);
        var revision = new MemberRevision(key.Version, delivery.SentAt, operation.Touches(context.Message));
        var entity = TurnSignals.KeyOf(ticket.CorpId, key.UserId);
        var started = time.GetTimestamp();
        var sentOrArrived = revision.SentAt ?? time.GetUtcNow();
        while (true)
        {
            var applied = turns.NextApplied(entity);
            if (!await ClaimAndApplyAsync(context, next, ticket, delivery, request, revision, sentOrArrived).ConfigureAwait(false))
                return;
            var wake = applied.WaitAsync(lifecycle.Value.MemberWaitInProcess - time.GetElapsedTime(started), time, context.CancellationToken);
            await Aside(context, wake).ConfigureAwait(false);
            if (await wake.ConfigureAwait(false))
                continue;
            await ledger.TryReleaseAsync(request, delivery.Owner, 0).ConfigureAwait(false);
            turns.Ended(entity);
            requestLog.Waiting(context.ReceiveContext, $"no {ticket.Descriptor.Entity} {key.UserId} in WeCom yet: waiting for the create sent before it (up to Lifecycle:NotFoundGrace after it was sent)");
            delivery.Move = DeliveryMove.ToWaitQueue;
            return;
        }
    }

    /// <returns>True when its entity was not found yet and the command may be tried again (see the caller); its request is marked waiting.</returns>
    async Task<bool> ClaimAndApplyAsync(ConsumeContext<TCommand> context, IPipe<ConsumeContext<TCommand>> next, CommandTicket ticket, Delivery delivery,
        IdempotencyKey request, MemberRevision revision, DateTimeOffset sentOrArrived)
    {
        var (key, descriptor) = (ticket.Key, ticket.Descriptor);
        var entity = TurnSignals.KeyOf(ticket.CorpId, key.UserId);
        var claim = await retry.Pipeline.ExecuteAsync(
            async token => await ledger.ClaimAsync(request, key.UserId, revision, delivery.Owner, idempotency.Value.LeaseDuration,
                lifecycle.Value.MemberWaitInProcess, turns, time, token, waiting => Aside(context, waiting)).ConfigureAwait(false),
            context.CancellationToken).ConfigureAwait(false);
        switch (claim.Status)
        {
            case ClaimStatus.Completed:
                await outcomes.ReplayAsync(context, claim.Outcome!).ConfigureAwait(false);
                return false;
            case ClaimStatus.WaitingForMember:
                // Not this command's turn: an earlier one of its entity is parked or still running. Not an attempt.
                await ledger.TryReleaseAsync(request, delivery.Owner, 0).ConfigureAwait(false);
                requestLog.Waiting(context.ReceiveContext, $"waiting for an earlier command of {descriptor.Entity} {key.UserId} to end");
                delivery.Move = DeliveryMove.ToWaitQueue;
                return false;
        }

        // Newer wins, aspect by aspect: what is older than what was applied is not applied; the rest is, when it can be apart.
        var command = context.Message;
        var notes = (IReadOnlyList<string>)[];
        var notApplied = (IReadOnlyList<string>)[];
        if (claim.StaleAspects(revision) is var stale && stale != MemberAspects.None)
        {
            var why = string.Join("; ", Aspects(stale).Select(aspect => claim.Applied!.Explain(revision, aspect, key.UserId)));
            var fresh = revision.Aspects & ~stale;
            if (fresh == MemberAspects.None || operation.Narrow(command, fresh) is not { } narrowed)
            {
                var superseded = new OutcomeFactory(descriptor.NewFailure, key, ticket.CorpId, claim.Attempts - 1, time.GetUtcNow())
                    .Failed(FailureReasons.Superseded, $"not applied: {why}");
                await CompleteAsync(context, request, delivery, superseded, revision with { Aspects = MemberAspects.None }).ConfigureAwait(false);
                return false;
            }
            command = narrowed;
            revision = revision with { Aspects = fresh };
            notes = [$"{(stale == MemberAspects.State ? "enable" : "the profile fields")} not applied: {why}"];
            notApplied = [stale == MemberAspects.State ? "state" : "profile"];
        }

        var turn = new Turn<TCommand>(command, ticket, request, claim.Attempts - 1, notes, notApplied);
        context.AddOrUpdatePayload(() => turn, _ => turn);
        try
        {
            await next.Send(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WeComTransientException or StoreUnavailableException)
        {
            // The next delivery (parked retry, redelivery, replay) may start at once; it knows an earlier one was made.
            // If the store is down too, the lease simply runs out.
            await ledger.TryReleaseAsync(request, delivery.Owner, turn.Attempts - claim.Attempts, delivery.LastTier ? ReleaseAs.SetAside : ReleaseAs.Retry).ConfigureAwait(false);
            turns.Ended(entity);
            if (delivery.LastTier)
            {
                // The last tier failed too: the publisher is told now, and the command goes on to the error queue.
                var exhausted = new OutcomeFactory(descriptor.NewFailure, key, ticket.CorpId, turn.Attempts, time.GetUtcNow())
                    .Failed(FailureReasons.RetriesExhausted, ex.Message, (ex as WeComException)?.ErrCode);
                await outcomes.PublishExhaustedAsync(exhausted, descriptor.Name, context.CancellationToken).ConfigureAwait(false);
            }
            throw;
        }
        catch
        {
            await ledger.TryReleaseAsync(request, delivery.Owner, turn.Attempts - claim.Attempts).ConfigureAwait(false);
            turns.Ended(entity);
            throw;
        }

        if (turn.Held)
        {
            // Held by the deletion guard: not applied, not failed, out of its entity's way; the broker keeps it for the operator.
            await ledger.TryReleaseAsync(request, delivery.Owner, 0, ReleaseAs.SetAside).ConfigureAwait(false);
            turns.Ended(entity);
            return false;
        }
        var outcome = turn.Outcome ?? throw new InvalidOperationException($"No outcome for {descriptor.Name} request {key.RequestId}: no step decided one.");
        if (NotThereYet(outcome) && time.GetUtcNow() - sentOrArrived < lifecycle.Value.NotFoundGrace)
        {
            // Waiting in process under its lease: the entity's later commands wait behind it in process, not in a queue.
            // Without a send time its place is its arrival, which says nothing about the create it waits for: that create
            // may arrive just after it (another queue), and must not then wait behind it until the grace runs out.
            await ledger.TryReleaseAsync(request, delivery.Owner, turn.Attempts - claim.Attempts, revision.SentAt is null ? ReleaseAs.WaitFromTheBack : ReleaseAs.Wait,
                idempotency.Value.LeaseDuration).ConfigureAwait(false);
            turns.Ended(entity);
            return true;
        }
        await CompleteAsync(context, request, delivery, outcome, revision).ConfigureAwait(false);
        return false;
    }

    /// <summary>While the command waits for its turn, its enterprise's slot serves the commands that can run.</summary>
    Task Aside(ConsumeContext context, Task waiting) => context.TryGetPayload(out PaceSlot? slot) ? slot.AsideAsync(waiting, time) : waiting;

    static IEnumerable<MemberAspects> Aspects(MemberAspects aspects) =>
        new[] { MemberAspects.State, MemberAspects.Profile }.Where(aspect => aspects.HasFlag(aspect));

    /// <summary>
    /// No entity found: an update, disable or enable failed as NotFound, or a delete found it already gone. Either may
    /// have overtaken the create sent before it (another queue), so both wait for it within the grace; a delete that
    /// did not would end as "already gone" and the create, arriving after it, as superseded.
    /// </summary>
    static bool NotThereYet(Outcome outcome) =>
        outcome is Outcome.Failed { Failure.Reason: FailureReasons.NotFound } or Outcome.Applied { Success: MemberDeleted { AlreadyGone: true } };

    /// <summary>
    /// Recorded before it is published: a crash in between republishes the recorded outcome on redelivery. If the store
    /// stays down, the delivery is parked; the next one finds what WeCom holds and reconciles.
    /// </summary>
    async Task CompleteAsync(ConsumeContext<TCommand> context, IdempotencyKey request, Delivery delivery, Outcome outcome, MemberRevision revision)
    {
        var stored = outcome.ToStored();
        await retry.Pipeline.ExecuteAsync(
            async token => await ledger.CompleteAsync(request, delivery.Owner, outcome.Succeeded, stored, revision, token).ConfigureAwait(false),
            context.CancellationToken).ConfigureAwait(false);
        var ticket = context.GetPayload<CommandTicket>();
        var entity = TurnSignals.KeyOf(request.CorpId, ticket.Key.UserId);
        if (outcome.Succeeded)
            turns.Applied(entity);
        else
            turns.Ended(entity);
        await outcomes.PublishAsync(context, outcome, ticket.Descriptor.Name).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("turn");
}
