using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Idempotency;
using Provisioning.Consumer.Messaging;
using Provisioning.Consumer.Operations;
using Provisioning.Consumer.WeCom;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// The one pipeline of every member command: validate → request claim and member order → WeCom call → record →
/// publish, exactly one outcome per request. The operation (<see cref="IMemberOperation{TCommand}"/>) brings its rules,
/// its call and its outcomes; the rest is here, the same for all. A duplicate of an ended request gets the stored
/// outcome again; one in progress elsewhere is waited for. Transient failures are retried in process
/// (<see cref="TransientRetry"/>), then thrown for the endpoint to park (<see cref="ParkingFilter{TCommand}"/>); after the last
/// tier the publisher is told (<c>RetriesExhausted</c>). A command whose enterprise is paused goes back to its lane.
/// </summary>
internal sealed class MemberCommandConsumer<TCommand>(
    IMemberOperation<TCommand> operation,
    CommandScreen screen,
    IIdempotencyStore store,
    IOptions<IdempotencyOptions> idempotency,
    TransientRetry retry,
    OutcomePublisher outcomes,
    WeComAvailability availability,
    CorpLanes lanes,
    RetryParking parking,
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
        }
    }

    async Task ConsumeAsync(ConsumeContext<TCommand> context)
    {
        if (await screen.ScreenAsync(context, operation).ConfigureAwait(false) is not { } corpId)
            return;
        var command = context.Message;
        var key = operation.KeyOf(command);
        var cancellationToken = context.CancellationToken;

        // Its enterprise was paused after this command was routed: back to the lane, unclaimed and unattempted.
        if (availability.IsHeld(corpId))
            throw new CorpPausedException(corpId, "paused", timeProvider.GetUtcNow());

        var request = new IdempotencyKey(corpId, key.RequestId);
        var owner = DeliveryOwner.Of(context);
        var claim = await retry.Pipeline.ExecuteAsync(
            async token => await store.ClaimAsync(request, key.UserId, owner, idempotency.Value.LeaseDuration, timeProvider, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        if (claim.Status == ClaimStatus.Completed)
        {
            await outcomes.ReplayAsync(context, claim.Outcome!).ConfigureAwait(false);
            return;
        }

        Outcome outcome;
        // Attempts so far: those of earlier deliveries (the claim's count) and this delivery's in-process retries.
        var attempt = claim.Attempts - 1;
        try
        {
            outcome = await retry.Pipeline.ExecuteAsync(async token =>
            {
                var factory = new OutcomeFactory(operation.NewFailure, key, corpId, ++attempt, timeProvider.GetUtcNow());
                return await operation.ApplyAsync(corpId, command, factory, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WeComTransientException or StoreUnavailableException)
        {
            // The next delivery (parked retry, redelivery, replay) may start at once; it knows an earlier one was made.
            // If the store is down too, the lease simply runs out.
            await store.TryReleaseAsync(request, owner, attempt - claim.Attempts).ConfigureAwait(false);
            if (RetryParking.TierOf(context.ReceiveContext) >= parking.Tiers.Count)
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
            throw;
        }

        // Recorded before it is published: a crash in between republishes the recorded outcome on redelivery. If the
        // store stays down, the delivery is parked; the next one finds what WeCom holds and reconciles.
        var stored = outcome.ToStored();
        await retry.Pipeline.ExecuteAsync(
            async token => await store.CompleteAsync(request, owner, outcome.Succeeded, stored, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        await outcomes.PublishAsync(context, outcome, operation.Name).ConfigureAwait(false);
    }
}
