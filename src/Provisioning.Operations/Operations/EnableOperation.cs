using Provisioning.Rules;
using Provisioning.Storage;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary><see cref="EnableMember"/>, the rehire of a member that still exists: <c>user/update</c> with <c>enable: 1</c> only. 60111 is <c>NotFound</c>.</summary>
internal sealed class EnableOperation(WeCom.IWeComClient weCom) : IMemberOperation<EnableMember>
{
    public MemberAspects Touches(EnableMember command) => MemberAspects.State;

    public async Task<Outcome> ApplyAsync(string corpId, EnableMember command, OutcomeFactory outcomes, CancellationToken cancellationToken)
    {
        var result = await weCom.UpdateUserAsync(corpId, new UserRequest { UserId = command.UserId, Enable = 1 }, cancellationToken).ConfigureAwait(false);
        return result.IsOk ? outcomes.Applied(new MemberEnabled()) : outcomes.FromFailure("user/update", result);
    }
}
