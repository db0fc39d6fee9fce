using MassTransit;
using Provisioning.Consumer.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>
/// What is answered without WeCom or the store: an enterprise this service does not serve (<c>UnknownCorp</c>) and an
/// invalid command (<c>Invalid</c>). The router screens every command; the lane consumer screens again, for commands
/// that reach a lane another way.
/// </summary>
internal sealed class CommandScreen(CorpDirectory corps, OutcomePublisher outcomes, TimeProvider timeProvider)
{
    /// <returns>The command's enterprise, or null when the command has been answered here.</returns>
    public async Task<string?> ScreenAsync(ConsumeContext<CreateMember> context)
    {
        var command = context.Message;
        if (!corps.TryResolve(command.CorpId, out var corpId))
        {
            await outcomes.PublishAsync(context, new MemberOutcomes(command, 1, timeProvider.GetUtcNow()).UnknownCorp()).ConfigureAwait(false);
            return null;
        }
        var errors = CreateMemberValidator.Validate(command);
        if (errors.Count > 0)
        {
            // Validation is pure: a duplicate gets the same answer without the store.
            await outcomes.PublishAsync(context, new MemberOutcomes(command, 1, timeProvider.GetUtcNow()).Invalid(corpId, errors)).ConfigureAwait(false);
            return null;
        }
        return corpId;
    }
}
