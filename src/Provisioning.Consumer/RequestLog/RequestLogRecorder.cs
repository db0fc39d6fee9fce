using MassTransit;
using Provisioning.Operations;
using Provisioning.Contracts;
using Provisioning.Storage.RequestLog;

namespace Provisioning.Consumer.RequestLog;

/// <summary>
/// Turns what the pipeline does into the log's steps: a delivery received, a wait for the member's earlier command, a
/// parked retry, a hold by the deletion guard, the outcome (or the dead letter after the last retry), a duplicate
/// answered from the store. The person's name is kept and their mobile and email only masked.
/// </summary>
internal sealed class RequestLogRecorder(RequestLogBuffer log, TimeProvider time)
{
    /// <summary>What the later steps of a delivery need to know of it, kept as the delivery's payload.</summary>
    sealed record LoggedRequest(Guid RequestId, string CorpId, string UserId, string Operation);

    public void Received<TCommand>(ConsumeContext<TCommand> context, CommandKey key, string corpId, string operation, string howItCame)
        where TCommand : class
    {
        if (!log.Enabled)
            return;
        var request = context.ReceiveContext.GetOrAddPayload(() => new LoggedRequest(key.RequestId, corpId, key.UserId, operation));
        log.Record(Step(request, RequestEventKinds.Received) with { Detail = howItCame, Person = PersonOf(context.Message) });
    }

    /// <summary>It waits for an earlier command of its member, or for the member to exist.</summary>
    public void Waiting(ReceiveContext context, string why) => Record(context, RequestEventKinds.Waiting, why);

    public void Held(ReceiveContext context) =>
        Record(context, RequestEventKinds.Held, "held by the deletion guard: too many disables and deletes in the window; an operator releases or rejects it");

    public void Parked(ReceiveContext context, int tier, TimeSpan delay, string why)
    {
        if (log.Enabled && context.TryGetPayload(out LoggedRequest? request))
            log.Record(Step(request, RequestEventKinds.Parked) with { Tier = tier, Detail = $"parked for {delay} (retry tier {tier}): {why}" });
    }

    /// <summary>The outcome, first time: succeeded, failed, or dead-lettered after the last retry tier.</summary>
    public void Ended(Outcome outcome, string operation)
    {
        if (!log.Enabled)
            return;
        switch (outcome)
        {
            case Outcome.Applied { Success: var success }:
                log.Record(new RequestEvent(success.RequestId, success.CorpId, success.UserId, operation, RequestEventKinds.Succeeded, time.GetUtcNow())
                {
                    Attempts = success.Attempts,
                    Outcome = success.GetType().Name,
                    Detail = Describe(success),
                });
                break;
            case Outcome.Failed { Failure: var failure }:
                var exhausted = failure.Reason == FailureReasons.RetriesExhausted;
                log.Record(new RequestEvent(failure.RequestId, failure.CorpId, failure.UserId, operation,
                    exhausted ? RequestEventKinds.DeadLettered : RequestEventKinds.Failed, time.GetUtcNow())
                {
                    Attempts = failure.Attempts,
                    Outcome = failure.GetType().Name,
                    Reason = failure.Reason,
                    ErrCode = failure.ErrCode,
                    Detail = Describe(failure) + (exhausted ? " (moved to the error queue; replay it from the console or with provisioning-cli replay)" : ""),
                });
                break;
        }
    }

    /// <summary>A duplicate delivery of an ended request, answered with the stored outcome.</summary>
    public void Duplicate(Outcome stored)
    {
        if (!log.Enabled)
            return;
        var (requestId, corpId, userId) = stored switch
        {
            Outcome.Applied { Success: var s } => (s.RequestId, s.CorpId, s.UserId),
            Outcome.Failed { Failure: var f } => (f.RequestId, f.CorpId, f.UserId),
            _ => (Guid.Empty, "", ""),
        };
        log.Record(new RequestEvent(requestId, corpId, userId, "", RequestEventKinds.Duplicate, time.GetUtcNow())
        {
            Detail = $"duplicate delivery: answered again with the stored {stored.Event.GetType().Name}, no WeCom call",
        });
    }

    void Record(ReceiveContext context, string kind, string detail)
    {
        if (log.Enabled && context.TryGetPayload(out LoggedRequest? request))
            log.Record(Step(request, kind) with { Detail = detail });
    }

    RequestEvent Step(LoggedRequest request, string kind) =>
        new(request.RequestId, request.CorpId, request.UserId, request.Operation, kind, time.GetUtcNow());

    static PersonSnapshot? PersonOf(object command)
    {
        var name = command switch
        {
            CreateMember create => create.Name,
            UpdateMember update => update.Name,
            SyncMember sync => sync.Name,
            _ => null,
        };
        return command is MemberProfile profile
            ? new PersonSnapshot(name, PersonalData.MaskMobile(profile.Mobile), PersonalData.MaskEmail(profile.Email))
            : null;
    }

    static string Describe(MemberCommandSucceeded success) => success switch
    {
        MemberCreated { AlreadyExisted: true } => "already existed in WeCom with these details: nothing to create",
        MemberCreated { CreatedDepartments.Count: > 0 } created =>
            $"created; WeCom made placeholder departments {string.Join(", ", created.CreatedDepartments.Select(d => d.Id))} under 其他（待设置部门）",
        MemberDeleted { AlreadyGone: true } => "already gone from WeCom",
        MemberSynced { Created: true } => "did not exist: created",
        MemberSynced { Warnings.Count: > 0 } synced => "synced with warnings: " + string.Join("; ", synced.Warnings),
        MemberUpdated { Warnings.Count: > 0 } updated => "updated with warnings: " + string.Join("; ", updated.Warnings),
        _ => "applied",
    };

    static string Describe(MemberCommandFailed failure)
    {
        var errors = string.Join("; ", failure.Errors.Select(e => $"{e.Field}: {e.Message}"));
        var text = failure.ErrCode is { } code ? $"errcode {code}: {failure.ErrMsg}" : failure.ErrMsg;
        return string.Join(" — ", new[] { text, errors }.Where(t => !string.IsNullOrEmpty(t)));
    }
}
