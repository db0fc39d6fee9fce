using Provisioning.Rules;
using Provisioning.Storage;
using Provisioning.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary><see cref="UpdateMember"/>: <c>user/update</c> with only the given fields; 60111 is <c>NotFound</c>, 301036 (rename refused) <c>Rejected</c>.</summary>
internal sealed class UpdateOperation(IWeComClient weCom, MobileCheck mobileCheck) : IMemberOperation<UpdateMember>
{
    public MemberAspects Touches(UpdateMember command) => (command.Enable is null ? MemberAspects.None : MemberAspects.State) | (MemberRules.ChangesProfile(command) ? MemberAspects.Profile : MemberAspects.None);

    public UpdateMember? Narrow(UpdateMember command, MemberAspects keep) => keep switch
    {
        MemberAspects.Profile => command with { Enable = null },
        MemberAspects.State => new UpdateMember
            { RequestId = command.RequestId, CorpId = command.CorpId, UserId = command.UserId, Version = command.Version, Enable = command.Enable },
        _ => null,
    };

    public async Task<Outcome> ApplyAsync(string corpId, UpdateMember command, OutcomeFactory outcomes, CancellationToken cancellationToken)
    {
        var result = await weCom.UpdateUserAsync(corpId, UserRequestMapper.Map(command), cancellationToken).ConfigureAwait(false);
        if (!result.IsOk)
        {
            // A rename that timed out may have been made: the old userid is then gone (60111) and the new one exists.
            if (result.Class == WeComErrorClass.NotFound && command.NewUserId is not null && outcomes.Attempts > 1)
                return outcomes.Applied(new MemberUpdated { NewUserId = command.NewUserId, Warnings = [.. outcomes.Notes, "an earlier attempt renamed the member; this one found the old userid gone"], NotApplied = outcomes.NotApplied });
            return outcomes.FromFailure("user/update", result);
        }
        var warnings = await mobileCheck.WarningsAsync(corpId, command.NewUserId ?? command.UserId, command.Mobile, cancellationToken).ConfigureAwait(false);
        return outcomes.Applied(new MemberUpdated { NewUserId = command.NewUserId, Warnings = [.. outcomes.Notes, .. warnings], NotApplied = outcomes.NotApplied, Response = result.Raw });
    }
}
