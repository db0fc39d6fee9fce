using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Idempotency;
using Provisioning.Storage;
using Provisioning.Consumer.Messaging;
using Provisioning.Operations;
using Provisioning.Consumer.Retries;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// The one pipeline of every member command: validate → request claim and member order → WeCom call → record →
/// publish, exactly one outcome per request. Commands for one member run one at a time in the order they first arrived
/// (a later one waits, in process while the earlier runs or waits, in the member-wait queue while it is parked), and what
/// of a command is older than what was applied to the member, aspect by aspect, is not applied (<c>Superseded</c>, or a
/// warning when the rest of the command is). The operation (<see cref="IMemberOperation{TCommand}"/>) brings its rules,
/// its call and its outcomes; the rest is here, the same for all. A duplicate of an ended request gets the stored
/// outcome again; one in progress elsewhere is waited for. Transient failures are retried in process
/// (<see cref="TransientRetry"/>), then thrown for the endpoint to park (<see cref="ParkingFilter{TCommand}"/>); after the last
/// tier the publisher is told (<c>RetriesExhausted</c>). A command whose enterprise is paused goes back to its lane.
/// </summary>
internal sealed class MemberCommandConsumer<TCommand>(
    IMemberOperation<TCommand> operation,
    CommandScreen screen,
    IRequestLedger store,
    IOptions<IdempotencyOptions> idempotency,
    IOptions<LifecycleOptions> lifecycle,
    TransientRetry retry,
    OutcomePublisher outcomes,
    WeComAvailability availability,
    CorpLanes lanes,
    RetryParking parking,
    DeletionGuard guard,
    RequestLog.RequestLogRecorder requestLog,
    TurnSignals turns,
    TimeProvider timeProvider) : IConsumer<TCommand>
    where TCommand : class
{
    public async Task Consume(ConsumeContext<TCommand> context)
    {
        try
        {
            await ConsumeAsync(context).ConfigureAwait(false);
        }
        catch (CorpPausedException paused)
        {
            // Not an attempt and not a failure: back to the tail of its lane, which stops consuming while the pause lasts.
            await lanes.HoldAsync(context, paused.CorpId).ConfigureAwait(false);
            requestLog.Waiting(context.ReceiveContext, $"back in its enterprise's lane until WeCom answers again: {paused.Message}");
        }
    }

    async Task ConsumeAsync(ConsumeContext<TCommand> context)
    {
        if (await screen.ScreenAsync(context, operation).ConfigureAwait(false) is not { } corpId)
            return;
        var command = context.Message;
        var key = context.ReceiveContext.GetOrAddPayload(() => operation.KeyOf(command));
        var cancellationToken = context.CancellationToken;

        // Its enterprise was paused after this command was routed: back to the lane, unclaimed and unattempted.
        if (availability.IsHeld(corpId))
            throw new CorpPausedException(corpId, "paused", timeProvider.GetUtcNow());
        requestLog.Received(context, key, corpId, operation.Name);

        var request = new IdempotencyKey(corpId, key.RequestId);
        var owner = DeliveryOwner.Of(context);
        var revision = new MemberRevision(key.Version, TransportHeader.SentAt(context), operation.Touches(command));
        var member = TurnSignals.MemberKey(corpId, key.UserId);

        // No member yet: the create sent before this command may still be on its way (another queue or replica, a parked
        // retry). It waits, costing WeCom nothing, until a command of the member is applied in this process, for up to
        // Lifecycle:MemberWaitInProcess; then from the member-wait queue, so WeCom is asked again at most once per
        // Lifecycle:MemberWaitDelay while nothing here can tell; until Lifecycle:NotFoundGrace after it was sent.
        var started = timeProvider.GetTimestamp();
        var sentOrArrived = revision.SentAt ?? timeProvider.GetUtcNow();
        while (true)
        {
            var applied = turns.NextApplied(member);
            if (!await ClaimAndApplyAsync(context, key, corpId, request, owner, revision, sentOrArrived).ConfigureAwait(false))
                return;
            var wake = applied.WaitAsync(lifecycle.Value.MemberWaitInProcess - timeProvider.GetElapsedTime(started), timeProvider, cancellationToken);
            await Aside(wake).ConfigureAwait(false);
            if (await wake.ConfigureAwait(false))
                continue;
            await store.TryReleaseAsync(request, owner, 0).ConfigureAwait(false);
            turns.Ended(member);
            requestLog.Waiting(context.ReceiveContext, $"no member {key.UserId} in WeCom yet: waiting for the create sent before it (up to Lifecycle:NotFoundGrace after it was sent)");
            await parking.DeferAsync(context.ReceiveContext, cancellationToken).ConfigureAwait(false);
            return;
        }
    }

    /// <returns>True when the member was not found yet and the command may be tried again (see the caller); its request is marked waiting.</returns>
    async Task<bool> ClaimAndApplyAsync(ConsumeContext<TCommand> context, CommandKey key, string corpId, IdempotencyKey request, string owner,
        MemberRevision revision, DateTimeOffset sentOrArrived)
    {
        var command = context.Message;
        var cancellationToken = context.CancellationToken;
        var member = TurnSignals.MemberKey(corpId, key.UserId);
        var claim = await retry.Pipeline.ExecuteAsync(
            async token => await store.ClaimAsync(request, key.UserId, revision, owner, idempotency.Value.LeaseDuration,
                lifecycle.Value.MemberWaitInProcess, turns, timeProvider, token, Aside).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        switch (claim.Status)
        {
            case ClaimStatus.Completed:
                await outcomes.ReplayAsync(context, claim.Outcome!).ConfigureAwait(false);
                return false;
            case ClaimStatus.WaitingForMember:
                // Not this command's turn: an earlier one for the member is parked or still running. Not an attempt.
                await store.TryReleaseAsync(request, owner, 0).ConfigureAwait(false);
                requestLog.Waiting(context.ReceiveContext, $"waiting for an earlier command of member {key.UserId} to end");
                await parking.DeferAsync(context.ReceiveContext, cancellationToken).ConfigureAwait(false);
                return false;
        }

        // Newer wins, aspect by aspect: what is older than what was applied is not applied; the rest is, when it can be apart.
        var notes = (IReadOnlyList<string>)[];
        var notApplied = (IReadOnlyList<string>)[];
        if (claim.StaleAspects(revision) is var stale && stale != MemberAspects.None)
        {
            var why = string.Join("; ", Aspects(stale).Select(aspect => claim.Applied!.Explain(revision, aspect, key.UserId)));
            var fresh = revision.Aspects & ~stale;
            if (fresh == MemberAspects.None || operation.Narrow(command, fresh) is not { } narrowed)
            {
                await CompleteAsync(context, request, owner, new OutcomeFactory(operation.NewFailure, key, corpId, claim.Attempts - 1, timeProvider.GetUtcNow())
                    .Failed(Contracts.FailureReasons.Superseded, $"not applied: {why}"), revision with { Aspects = MemberAspects.None }).ConfigureAwait(false);
                return false;
            }
            command = narrowed;
            revision = revision with { Aspects = fresh };
            notes = [$"{(stale == MemberAspects.State ? "enable" : "the profile fields")} not applied: {why}"];
            notApplied = [stale == MemberAspects.State ? "state" : "profile"];
        }

        if (operation.Removes(command) && await GuardedAsync(context, request, owner, claim, key, corpId, revision).ConfigureAwait(false))
            return false;

        Outcome outcome;
        // Attempts so far: those of earlier deliveries (the claim's count) and this delivery's in-process retries.
        var attempt = claim.Attempts - 1;
        try
        {
            outcome = await retry.Pipeline.ExecuteAsync(async token =>
            {
                var factory = new OutcomeFactory(operation.NewFailure, key, corpId, ++attempt, timeProvider.GetUtcNow(), notes, notApplied);
                return await operation.ApplyAsync(corpId, command, factory, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WeComTransientException or StoreUnavailableException)
        {
            // The next delivery (parked retry, redelivery, replay) may start at once; it knows an earlier one was made.
            // If the store is down too, the lease simply runs out.
            var last = RetryParking.TierOf(context.ReceiveContext) >= parking.Tiers.Count;
            await store.TryReleaseAsync(request, owner, attempt - claim.Attempts, last ? ReleaseAs.SetAside : ReleaseAs.Retry).ConfigureAwait(false);
            turns.Ended(member);
            if (last)
            {
                // The last tier failed too: the publisher is told now, and the command goes on to the error queue.
                var exhausted = new OutcomeFactory(operation.NewFailure, key, corpId, attempt, timeProvider.GetUtcNow())
                    .Failed(Contracts.FailureReasons.RetriesExhausted, ex.Message, (ex as WeComException)?.ErrCode);
                await outcomes.PublishExhaustedAsync(exhausted, operation.Name, cancellationToken).ConfigureAwait(false);
            }
            throw;
        }
        catch
        {
            await store.TryReleaseAsync(request, owner, attempt - claim.Attempts).ConfigureAwait(false);
            turns.Ended(member);
            throw;
        }

        if (NotThereYet(outcome) && timeProvider.GetUtcNow() - sentOrArrived < lifecycle.Value.NotFoundGrace)
        {
            // Waiting in process under its lease: the member's later commands wait behind it in process, not in a queue.
            // Without a send time its place is its arrival, which says nothing about the create it waits for: that create
            // may arrive just after it (another queue), and must not then wait behind it until the grace runs out.
            await store.TryReleaseAsync(request, owner, attempt - claim.Attempts, revision.SentAt is null ? ReleaseAs.WaitFromTheBack : ReleaseAs.Wait,
                idempotency.Value.LeaseDuration).ConfigureAwait(false);
            turns.Ended(member);
            return true;
        }
        await CompleteAsync(context, request, owner, outcome, revision).ConfigureAwait(false);
        return false;
    }

    /// <summary>While the command waits for its member, its enterprise's slot serves the commands that can run.</summary>
    Task Aside(Task waiting) => PaceSlot.Current is { } slot ? slot.AsideAsync(waiting, timeProvider) : waiting;

    static IEnumerable<MemberAspects> Aspects(MemberAspects aspects) =>
        new[] { MemberAspects.State, MemberAspects.Profile }.Where(aspect => aspects.HasFlag(aspect));

    /// <summary>
    /// No member found: an update, disable or enable failed as NotFound, or a delete found it already gone. Either may
    /// have overtaken the create sent before it (another queue), so both wait for it within the grace; a delete that
    /// did not would end as "already gone" and the create, arriving after it, as superseded.
    /// </summary>
    static bool NotThereYet(Outcome outcome) =>
        outcome is Outcome.Failed { Failure.Reason: Contracts.FailureReasons.NotFound } or Outcome.Applied { Success: Contracts.MemberDeleted { AlreadyGone: true } };

    /// <summary>
    /// The deletion guard, for a disable or delete: true when it dealt with the command (held it for an operator, or
    /// the operator rejected it), false when the command may go ahead.
    /// </summary>
    async Task<bool> GuardedAsync(ConsumeContext<TCommand> context, IdempotencyKey request, string owner, IdempotencyClaim claim, CommandKey key,
        string corpId, MemberRevision revision)
    {
        var decision = TransportHeader.GuardDecision(context.ReceiveContext);
        if (decision == Contracts.ProvisioningHeaders.GuardRejected)
        {
            await CompleteAsync(context, request, owner, new OutcomeFactory(operation.NewFailure, key, corpId, claim.Attempts - 1, timeProvider.GetUtcNow())
                .Failed(Contracts.FailureReasons.NotAllowed, "rejected by an operator from the deletion guard: not applied"), revision).ConfigureAwait(false);
            return true;
        }
        var admitted = await retry.Pipeline.ExecuteAsync(
            async token => await guard.AdmitAsync(request, decision == Contracts.ProvisioningHeaders.GuardReleased, token).ConfigureAwait(false),
            context.CancellationToken).ConfigureAwait(false);
        if (admitted)
            return false;
        // Held: not applied, not failed, out of its member's way; the broker keeps it for the operator.
        await store.TryReleaseAsync(request, owner, 0, ReleaseAs.SetAside).ConfigureAwait(false);
        turns.Ended(TurnSignals.MemberKey(corpId, key.UserId));
        await parking.HoldForGuardAsync(context.ReceiveContext, context.CancellationToken).ConfigureAwait(false);
        requestLog.Held(context.ReceiveContext);
        guard.Held(corpId, operation.Name, key.UserId);
        return true;
    }

    /// <summary>
    /// Recorded before it is published: a crash in between republishes the recorded outcome on redelivery. If the store
    /// stays down, the delivery is parked; the next one finds what WeCom holds and reconciles.
    /// </summary>
    async Task CompleteAsync(ConsumeContext<TCommand> context, IdempotencyKey request, string owner, Outcome outcome, MemberRevision revision)
    {
        var stored = outcome.ToStored();
        await retry.Pipeline.ExecuteAsync(
            async token => await store.CompleteAsync(request, owner, outcome.Succeeded, stored, revision, token).ConfigureAwait(false),
            context.CancellationToken).ConfigureAwait(false);
        var member = TurnSignals.MemberKey(request.CorpId, context.ReceiveContext.GetPayload<CommandKey>().UserId);
        if (outcome.Succeeded)
            turns.Applied(member);
        else
            turns.Ended(member);
        await outcomes.PublishAsync(context, outcome, operation.Name).ConfigureAwait(false);
    }
}
