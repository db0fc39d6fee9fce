using Provisioning.Rules;
using Provisioning.Storage;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary><see cref="DisableMember"/>, the default leaver action: <c>user/update</c> with <c>enable: 0</c> only. 60111 is <c>NotFound</c>.</summary>
internal sealed class DisableOperation(WeCom.IWeComClient weCom) : IMemberOperation<DisableMember>
{
    public MemberAspects Touches(DisableMember command) => MemberAspects.State;

    public async Task<Outcome> ApplyAsync(string corpId, DisableMember command, OutcomeFactory outcomes, CancellationToken cancellationToken)
    {
        var result = await weCom.UpdateUserAsync(corpId, new UserRequest { UserId = command.UserId, Enable = 0 }, cancellationToken).ConfigureAwait(false);
        return result.IsOk ? outcomes.Applied(new MemberDisabled()) : outcomes.FromFailure("user/update", result);
    }
}
