using MassTransit;
using Provisioning.Storage;
using Provisioning.Operations;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Pipeline;

/// <summary>Publishes an outcome (first time, replayed, or for a command that exhausted its retries), counts it and logs it.</summary>
internal sealed class OutcomePublisher(ProvisioningInstrumentation instrumentation, RequestLog.RequestLogRecorder requestLog, IEnumerable<IOutcomeCopy> copies,
    IServiceProvider services, ILogger<OutcomePublisher> logger)
{
    /// <summary>Publishes an outcome for the first time, through the delivery's outbox, then counts and logs it.</summary>
    public async Task PublishAsync(ConsumeContext context, Outcome outcome, string operation)
    {
        await PublishAsync(context, outcome, replay: false, context.CancellationToken).ConfigureAwait(false);
        await CopyAsync(outcome, replay: false, context.CancellationToken).ConfigureAwait(false);
        Record(outcome, operation);
        if (context.TryGetPayload(out Delivery? delivery) && delivery.SentAt is { } sentAt)
        {
            var (corpId, result) = outcome switch
            {
                Outcome.Applied { Success: var s } => (s.CorpId, "applied"),
                Outcome.Failed { Failure: var f } => (f.CorpId, f.Reason),
                _ => ("", ""),
            };
            instrumentation.CommandEnded(operation, corpId, result, DateTimeOffset.UtcNow - sentAt);
        }
    }

    /// <summary>
    /// Publishes the failure of a delivery that is about to go to the error queue: on the bus itself, not through the
    /// delivery's outbox, which discards what a failed delivery published.
    /// </summary>
    public async Task PublishExhaustedAsync(Outcome outcome, string operation, CancellationToken cancellationToken)
    {
        await PublishAsync(services.GetRequiredService<IBus>(), outcome, replay: false, cancellationToken).ConfigureAwait(false);
        await CopyAsync(outcome, replay: false, cancellationToken).ConfigureAwait(false);
        Record(outcome, operation);
    }

    /// <summary>Publishes the stored outcome again, unchanged but for the replay header; counted and logged as a replay.</summary>
    public async Task ReplayAsync(ConsumeContext context, StoredOutcome stored)
    {
        var outcome = Outcome.FromStored(stored);
        await PublishAsync(context, outcome, replay: true, context.CancellationToken).ConfigureAwait(false);
        await CopyAsync(outcome, replay: true, context.CancellationToken).ConfigureAwait(false);
        requestLog.Duplicate(outcome);
        instrumentation.OutcomeReplayed(stored.MessageType);
        ConsumerLog.OutcomeReplayed(logger, context.MessageId, stored.MessageType);
    }

    void Record(Outcome outcome, string operation)
    {
        requestLog.Ended(outcome, operation);
        switch (outcome)
        {
            case Outcome.Applied { Success: var success }:
                Applied(success, operation);
                break;
            case Outcome.Failed { Failure: var failure }:
                Failed(failure, operation);
                break;
        }
    }

    void Applied(MemberCommandSucceeded success, string operation)
    {
        instrumentation.CommandApplied(operation, success.CorpId);
        if (success is MemberCreated member)
            instrumentation.MemberCreated(member.CorpId, member.AlreadyExisted);
        ConsumerLog.CommandApplied(logger, operation, success.UserId, success.CorpId, success.RequestId, success.Attempts);
        switch (success)
        {
            case MemberCreated { CreatedDepartments.Count: > 0 } created:
                // WeCom made placeholder departments under 其他（待设置部门） for ids that did not exist: someone must sort them out.
                ConsumerLog.PlaceholderDepartments(logger, created.UserId, created.CorpId, string.Join(", ", created.CreatedDepartments.Select(d => d.Id)));
                break;
            case MemberSynced { CreatedDepartments.Count: > 0 } synced:
                ConsumerLog.PlaceholderDepartments(logger, synced.UserId, synced.CorpId, string.Join(", ", synced.CreatedDepartments.Select(d => d.Id)));
                break;
            case MemberUpdated { Warnings.Count: > 0 } updated:
                ConsumerLog.AppliedWithWarnings(logger, operation, updated.UserId, updated.CorpId, string.Join("; ", updated.Warnings));
                break;
            case MemberSynced { Warnings.Count: > 0 } synced:
                ConsumerLog.AppliedWithWarnings(logger, operation, synced.UserId, synced.CorpId, string.Join("; ", synced.Warnings));
                break;
        }
    }

    void Failed(MemberCommandFailed failed, string operation)
    {
        instrumentation.CommandFailed(operation, failed.CorpId, failed.Reason, failed.ErrCode);
        var detail = failed.ErrCode is { } code
            ? $"errcode {code} {failed.ErrMsg}"
            : string.Join("; ", failed.Errors.Select(e => $"{e.Field}: {e.Message}").Prepend(failed.ErrMsg).OfType<string>());
        ConsumerLog.CommandFailed(logger, operation, failed.UserId, failed.CorpId, failed.RequestId, failed.Reason, detail);
    }

    static Task PublishAsync(IPublishEndpoint endpoint, Outcome outcome, bool replay, CancellationToken cancellationToken) =>
        endpoint.Publish(outcome.Event, outcome.Event.GetType(), Pipe.Execute<PublishContext>(context =>
        {
            if (replay)
                context.Headers.Set(Contracts.ProvisioningHeaders.Replay, true);
        }), cancellationToken);

    async Task CopyAsync(Outcome outcome, bool replay, CancellationToken cancellationToken)
    {
        foreach (var copy in copies)
            await copy.PublishAsync(outcome, replay, cancellationToken).ConfigureAwait(false);
    }
}
