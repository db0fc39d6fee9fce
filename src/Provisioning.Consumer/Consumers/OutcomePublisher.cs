using MassTransit;
using Provisioning.Consumer.Idempotency;
using Provisioning.Consumer.Telemetry;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>Publishes an outcome (first time or replayed), counts it and logs it.</summary>
internal sealed class OutcomePublisher(ProvisioningInstrumentation instrumentation, ILogger<OutcomePublisher> logger)
{
    /// <summary>Publishes an outcome for the first time, then counts and logs it.</summary>
    public async Task PublishAsync(ConsumeContext context, Outcome outcome)
    {
        await outcome.PublishAsync(context, replay: false, context.CancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case Outcome.Created { Event: var created }:
                Created(created);
                break;
            case Outcome.Failed { Event: var failed }:
                Failed(failed);
                break;
        }
    }

    /// <summary>Publishes the stored outcome again, unchanged but for the replay header; counted and logged as a replay.</summary>
    public async Task ReplayAsync(ConsumeContext context, StoredOutcome stored)
    {
        await Outcome.FromStored(stored).PublishAsync(context, replay: true, context.CancellationToken).ConfigureAwait(false);
        instrumentation.OutcomeReplayed(stored.MessageType);
        ConsumerLog.OutcomeReplayed(logger, context.MessageId, stored.MessageType);
    }

    void Created(MemberCreated created)
    {
        instrumentation.MemberCreated(created.CorpId, created.AlreadyExisted);
        ConsumerLog.MemberCreated(logger, created.UserId, created.CorpId, created.RequestId, created.AlreadyExisted, created.CreatedDepartments.Count, created.Attempts);
        if (created.CreatedDepartments.Count > 0)
            // WeCom made placeholder departments under 其他（待设置部门） for ids that did not exist: someone must sort them out.
            ConsumerLog.PlaceholderDepartments(logger, created.UserId, created.CorpId, string.Join(", ", created.CreatedDepartments.Select(d => d.Id)));
    }

    void Failed(MemberCreationFailed failed)
    {
        instrumentation.MemberFailed(failed.CorpId, failed.Reason, failed.ErrCode);
        var detail = failed.ErrCode is { } code
            ? $"errcode {code} {failed.ErrMsg}"
            : string.Join("; ", failed.Errors.Select(e => $"{e.Field}: {e.Message}").Prepend(failed.ErrMsg).OfType<string>());
        ConsumerLog.MemberFailed(logger, failed.UserId, failed.CorpId, failed.RequestId, failed.Reason, detail);
    }
}
