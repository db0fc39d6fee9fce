using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Idempotency;
using Provisioning.Consumer.Messaging;
using Provisioning.Consumer.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// validate → idempotency → WeCom → record → publish, exactly one outcome per request. A duplicate of an ended request
/// gets the stored outcome again; one in progress elsewhere waits for it. Transient failures are retried in process
/// (<see cref="TransientRetry"/>), then thrown for the endpoint to park (<see cref="CreateMemberConsumerDefinition"/>).
/// A command whose enterprise is paused goes back to its lane (<see cref="CorpLanes"/>).
/// </summary>
internal sealed class CreateMemberConsumer(
    CommandScreen screen,
    IIdempotencyStore store,
    IOptions<IdempotencyOptions> idempotency,
    MemberProvisioner provisioner,
    TransientRetry retry,
    OutcomePublisher outcomes,
    WeComAvailability availability,
    CorpLanes lanes,
    TimeProvider timeProvider) : IConsumer<CreateMember>
{
    public async Task Consume(ConsumeContext<CreateMember> context)
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

    async Task ConsumeAsync(ConsumeContext<CreateMember> context)
    {
        if (await screen.ScreenAsync(context).ConfigureAwait(false) is not { } corpId)
            return;
        var command = context.Message;
        var cancellationToken = context.CancellationToken;

        // Its enterprise was paused after this command was routed: back to the lane, unclaimed and unattempted.
        if (availability.IsHeld(corpId))
            throw new CorpPausedException(corpId, "paused", timeProvider.GetUtcNow());

        var key = new IdempotencyKey(corpId, command.RequestId);
        var owner = DeliveryOwner.Of(context);
        var claim = await retry.Pipeline.ExecuteAsync(
            async token => await store.ClaimAsync(key, command.UserId, owner, idempotency.Value.LeaseDuration, timeProvider, token).ConfigureAwait(false),
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
            outcome = await retry.Pipeline.ExecuteAsync(
                async token => await provisioner.ProvisionAsync(corpId, command, ++attempt, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The next delivery (parked retry, redelivery, replay) may start at once; it knows an earlier one was made.
            // If the store is down too, the lease simply runs out.
            await store.TryReleaseAsync(key, owner, attempt - claim.Attempts).ConfigureAwait(false);
            throw;
        }

        // Recorded before it is published: a crash in between republishes the recorded outcome on redelivery. If the
        // store stays down, the delivery is parked; the next one finds the member WeCom holds (60102) and reconciles.
        var stored = outcome.ToStored();
        await retry.Pipeline.ExecuteAsync(
            async token => await store.CompleteAsync(key, owner, outcome.Succeeded, stored, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        await outcomes.PublishAsync(context, outcome).ConfigureAwait(false);
    }
}
