using Provisioning.Rules;
using Provisioning.Storage;
using Provisioning.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary>
/// <see cref="SyncMember"/>, the desired state of one person: <c>user/create</c>; when the userid exists (60102),
/// <c>user/update</c> with the same fields (and the given <c>enable</c>). Never reads first: reads may be refused (48009),
/// and a create that meets an existing member costs one call, as a read would.
/// </summary>
internal sealed class SyncOperation(IWeComClient weCom, MobileCheck mobileCheck) : IMemberOperation<SyncMember>
{
    public MemberAspects Touches(SyncMember command) => MemberAspects.State | MemberAspects.Profile;

    public async Task<Outcome> ApplyAsync(string corpId, SyncMember command, OutcomeFactory outcomes, CancellationToken cancellationToken)
    {
        var created = await weCom.CreateUserAsync(corpId, UserRequestMapper.MapCreate(command), cancellationToken).ConfigureAwait(false);
        if (created.IsOk)
        {
            return outcomes.Applied(new MemberSynced
            {
                Created = true,
                CreatedDepartments = CreateOperation.CreatedDepartments(created.Response),
                Response = created.Raw,
            });
        }
        if (created.Class != WeComErrorClass.AlreadyExists)
            return outcomes.FromFailure("user/create", created);

        var updated = await weCom.UpdateUserAsync(corpId, UserRequestMapper.MapUpdate(command), cancellationToken).ConfigureAwait(false);
        if (!updated.IsOk)
            return outcomes.FromFailure("user/update", updated);
        var warnings = await mobileCheck.WarningsAsync(corpId, command.UserId, command.Mobile, cancellationToken).ConfigureAwait(false);
        return outcomes.Applied(new MemberSynced { Created = false, Warnings = warnings, Response = updated.Raw });
    }
}
