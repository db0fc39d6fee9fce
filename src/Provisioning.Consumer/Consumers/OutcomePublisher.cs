using System.Text.Json;
using MassTransit;
using Provisioning.Consumer.Idempotency;
using Provisioning.Consumer.Telemetry;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>Publishes an outcome event (first time or replayed), counts it, logs it; and turns it into what the store keeps.</summary>
internal sealed class OutcomePublisher(ProvisioningInstrumentation instrumentation, ILogger<OutcomePublisher> logger)
{
    /// <summary>Header on an outcome published again for a duplicate of a request that had ended.</summary>
    public const string ReplayHeader = "Provisioning-Replay";

    static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public static StoredOutcome ToStored(object outcome) => outcome switch
    {
        MemberCreated created => new StoredOutcome(nameof(MemberCreated), JsonSerializer.Serialize(created, Json)),
        MemberCreationFailed failed => new StoredOutcome(nameof(MemberCreationFailed), JsonSerializer.Serialize(failed, Json)),
        _ => throw new ArgumentException($"Not an outcome: {outcome.GetType()}", nameof(outcome)),
    };

    public Task PublishAsync(ConsumeContext context, object outcome) => outcome switch
    {
        MemberCreated created => Created(context, created),
        MemberCreationFailed failed => Failed(context, failed),
        _ => throw new ArgumentException($"Not an outcome: {outcome.GetType()}", nameof(outcome)),
    };

    /// <summary>Publishes the stored outcome again, unchanged but for the replay header; counted and logged as a replay.</summary>
    public async Task ReplayAsync(ConsumeContext context, StoredOutcome stored)
    {
        object outcome = stored.MessageType == nameof(MemberCreated)
            ? JsonSerializer.Deserialize<MemberCreated>(stored.Json, Json)!
            : JsonSerializer.Deserialize<MemberCreationFailed>(stored.Json, Json)!;
        await (outcome switch
        {
            MemberCreated created => context.Publish(created, p => p.Headers.Set(ReplayHeader, true), context.CancellationToken),
            _ => context.Publish((MemberCreationFailed)outcome, p => p.Headers.Set(ReplayHeader, true), context.CancellationToken),
        }).ConfigureAwait(false);
        instrumentation.OutcomeReplayed(stored.MessageType);
        ConsumerLog.OutcomeReplayed(logger, context.MessageId, stored.MessageType);
    }

    async Task Created(ConsumeContext context, MemberCreated created)
    {
        await context.Publish(created, context.CancellationToken).ConfigureAwait(false);
        instrumentation.MemberCreated(created.CorpId, created.AlreadyExisted);
        ConsumerLog.MemberCreated(logger, created.UserId, created.CorpId, created.RequestId, created.AlreadyExisted, created.CreatedDepartments.Count, created.Attempts);
        if (created.CreatedDepartments.Count > 0)
            // WeCom made placeholder departments under 其他（待设置部门） for ids that did not exist: someone must sort them out.
            ConsumerLog.PlaceholderDepartments(logger, created.UserId, created.CorpId, string.Join(", ", created.CreatedDepartments.Select(d => d.Id)));
    }

    async Task Failed(ConsumeContext context, MemberCreationFailed failed)
    {
        await context.Publish(failed, context.CancellationToken).ConfigureAwait(false);
        instrumentation.MemberFailed(failed.CorpId, failed.Reason, failed.ErrCode);
        var detail = failed.ErrCode is { } code
            ? $"errcode {code} {failed.ErrMsg}"
            : string.Join("; ", failed.Errors.Select(e => $"{e.Field}: {e.Message}").Prepend(failed.ErrMsg).OfType<string>());
        ConsumerLog.MemberFailed(logger, failed.UserId, failed.CorpId, failed.RequestId, failed.Reason, detail);
    }
}
