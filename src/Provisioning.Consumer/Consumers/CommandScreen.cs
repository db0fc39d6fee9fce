using MassTransit;
using Provisioning.Consumer.Operations;
using Provisioning.Consumer.WeCom;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// What is answered without WeCom or the store: an enterprise this service does not serve (<c>UnknownCorp</c>) and an
/// invalid command (<c>Invalid</c>). The router screens every command; the lane consumer screens again, for commands
/// that reach a lane another way.
/// </summary>
internal sealed class CommandScreen(CorpDirectory corps, OutcomePublisher outcomes, TimeProvider timeProvider)
{
    /// <returns>The command's enterprise, or null when the command has been answered here.</returns>
    public async Task<string?> ScreenAsync<TCommand>(ConsumeContext<TCommand> context, IMemberOperation<TCommand> operation)
        where TCommand : class
    {
        var key = operation.KeyOf(context.Message);
        if (!corps.TryResolve(key.CorpId, out var corpId))
        {
            var unknown = new OutcomeFactory(operation.NewFailure, key, key.CorpId ?? "", 0, timeProvider.GetUtcNow()).Failed(
                Contracts.FailureReasons.UnknownCorp,
                errors: [new Contracts.FieldError { Field = "corpId", Message = $"corp id '{key.CorpId}' is not configured in this service (WeCom:CorpId or WeCom:Corps)" }]);
            await outcomes.PublishAsync(context, unknown, operation.Name).ConfigureAwait(false);
            return null;
        }
        var errors = operation.Validate(context.Message);
        if (errors.Count > 0)
        {
            // Validation is pure: a duplicate gets the same answer without the store.
            var invalid = new OutcomeFactory(operation.NewFailure, key, corpId, 0, timeProvider.GetUtcNow()).Failed(Contracts.FailureReasons.Invalid, errors: errors);
            await outcomes.PublishAsync(context, invalid, operation.Name).ConfigureAwait(false);
            return null;
        }
        return corpId;
    }
}
