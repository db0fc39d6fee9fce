using MassTransit;
using Provisioning.Consumer.Telemetry;
using Provisioning.Consumer.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// Validates a <see cref="CreateMember"/>, creates the member through WeCom and publishes exactly one outcome.
/// Business failures are published as <see cref="MemberCreationFailed"/>; failures that are not the command's
/// fault are thrown, for the endpoint's retry policy (<see cref="CreateMemberConsumerDefinition"/>).
/// </summary>
internal sealed class CreateMemberConsumer(
    CorpDirectory corps,
    IWeComClient weCom,
    ExistingMemberReconciler reconciler,
    ProvisioningInstrumentation instrumentation,
    TimeProvider timeProvider,
    ILogger<CreateMemberConsumer> logger) : IConsumer<CreateMember>
{
    public async Task Consume(ConsumeContext<CreateMember> context)
    {
        var command = context.Message;
        var outcomes = new MemberOutcomes(command, Attempts(context), timeProvider.GetUtcNow());

        if (!corps.TryResolve(command.CorpId, out var corpId))
        {
            await Fail(context, outcomes.UnknownCorp()).ConfigureAwait(false);
            return;
        }

        var errors = CreateMemberValidator.Validate(command);
        if (errors.Count > 0)
        {
            await Fail(context, outcomes.Invalid(corpId, errors)).ConfigureAwait(false);
            return;
        }

        var result = await weCom.CreateUserAsync(corpId, UserCreateRequestMapper.Map(command), context.CancellationToken).ConfigureAwait(false);
        switch (result.Class)
        {
            case WeComErrorClass.Ok:
                await Succeed(context, outcomes.Created(corpId, result, alreadyExisted: false)).ConfigureAwait(false);
                break;
            case WeComErrorClass.AlreadyExists:
                var existing = await reconciler.ReconcileAsync(corpId, command, outcomes.Attempts, context.CancellationToken).ConfigureAwait(false);
                if (existing == ExistingMember.Ours)
                    await Succeed(context, outcomes.Created(corpId, result, alreadyExisted: true)).ConfigureAwait(false);
                else
                    await Fail(context, outcomes.Rejected(corpId, FailureReasons.Conflict, result)).ConfigureAwait(false);
                break;
            case WeComErrorClass.Conflict:
                await Fail(context, outcomes.Rejected(corpId, FailureReasons.Conflict, result)).ConfigureAwait(false);
                break;
            case WeComErrorClass.Rejected:
                await Fail(context, outcomes.Rejected(corpId, FailureReasons.Rejected, result)).ConfigureAwait(false);
                break;
            default:
                // Transient, a token that kept failing, or systemic: not the command's fault, so not its failure.
                throw WeComException.From("user/create", result);
        }
    }

    async Task Succeed(ConsumeContext context, MemberCreated created)
    {
        await context.Publish(created, context.CancellationToken).ConfigureAwait(false);
        instrumentation.MemberCreated(created.CorpId, created.AlreadyExisted);
        ConsumerLog.MemberCreated(logger, created.UserId, created.CorpId, created.RequestId, created.AlreadyExisted, created.CreatedDepartments.Count, created.Attempts);
        if (created.CreatedDepartments.Count > 0)
            // WeCom made placeholder departments under 其他（待设置部门） for ids that did not exist: someone must sort them out.
            ConsumerLog.PlaceholderDepartments(logger, created.UserId, created.CorpId, string.Join(", ", created.CreatedDepartments.Select(d => d.Id)));
    }

    async Task Fail(ConsumeContext context, MemberCreationFailed failed)
    {
        await context.Publish(failed, context.CancellationToken).ConfigureAwait(false);
        instrumentation.MemberFailed(failed.CorpId, failed.Reason, failed.ErrCode);
        ConsumerLog.MemberFailed(logger, failed.UserId, failed.CorpId, failed.RequestId, failed.Reason, failed.ErrCode, failed.ErrMsg,
            string.Join("; ", failed.Errors.Select(e => $"{e.Field}: {e.Message}")));
    }

    /// <summary>This attempt's number: in-process retries plus broker redeliveries, from 1.</summary>
    static int Attempts(ConsumeContext context) =>
        context.GetRetryAttempt() + context.GetRedeliveryCount() + (context.ReceiveContext.Redelivered ? 1 : 0) + 1;
}
