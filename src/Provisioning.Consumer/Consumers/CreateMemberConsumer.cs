using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Idempotency;
using Provisioning.Consumer.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// validate → idempotency → WeCom → record → publish, exactly one outcome per request. A duplicate of an ended
/// request gets the stored outcome again; one that is in progress elsewhere is retried later; failures that are not
/// the command's fault are thrown for the endpoint's retry policy (<see cref="CreateMemberConsumerDefinition"/>).
/// </summary>
internal sealed class CreateMemberConsumer(
    CorpDirectory corps,
    IIdempotencyStore store,
    IOptions<IdempotencyOptions> idempotency,
    MemberProvisioner provisioner,
    OutcomePublisher outcomes,
    TimeProvider timeProvider) : IConsumer<CreateMember>
{
    public async Task Consume(ConsumeContext<CreateMember> context)
    {
        var command = context.Message;
        var mtAttempts = context.GetRetryAttempt() + context.GetRedeliveryCount() + 1;
        if (!corps.TryResolve(command.CorpId, out var corpId))
        {
            await outcomes.PublishAsync(context, new MemberOutcomes(command, mtAttempts, timeProvider.GetUtcNow()).UnknownCorp()).ConfigureAwait(false);
            return;
        }
        var errors = CreateMemberValidator.Validate(command);
        if (errors.Count > 0)
        {
            // Validation is pure: a duplicate gets the same answer without the store.
            await outcomes.PublishAsync(context, new MemberOutcomes(command, mtAttempts, timeProvider.GetUtcNow()).Invalid(corpId, errors)).ConfigureAwait(false);
            return;
        }

        var key = new IdempotencyKey(corpId, command.RequestId);
        var owner = DeliveryOwner.Of(context);
        var claim = await store.TryBeginAsync(key, command.UserId, owner, idempotency.Value.LeaseDuration, context.CancellationToken).ConfigureAwait(false);
        if (claim.Status == ClaimStatus.Completed)
        {
            await outcomes.ReplayAsync(context, claim.Outcome!).ConfigureAwait(false);
            return;
        }
        if (claim.Status == ClaimStatus.InProgressElsewhere)
            throw new RequestInProgressException(key, claim.LeaseExpiresAt!.Value);

        object outcome;
        try
        {
            outcome = await provisioner.ProvisionAsync(corpId, command, Math.Max(claim.Attempts, mtAttempts), context.CancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The next attempt (a retry, a redelivery, a replay) may start at once; it knows an earlier one was made.
            await store.ReleaseAsync(key, owner, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // Recorded before it is published: a crash in between republishes the recorded outcome on redelivery.
        await store.CompleteAsync(key, owner, outcome is MemberCreated, OutcomePublisher.ToStored(outcome), context.CancellationToken).ConfigureAwait(false);
        await outcomes.PublishAsync(context, outcome).ConfigureAwait(false);
    }
}
