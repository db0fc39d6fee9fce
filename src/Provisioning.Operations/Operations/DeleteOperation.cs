using Provisioning.Storage;
using Microsoft.Extensions.Options;
using Provisioning.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary>
/// <see cref="DeleteMember"/>: <c>GET user/delete</c>, irreversible, so refused unless <c>Lifecycle:AllowDelete</c> is
/// on. 60111 (no such member) is a success that says so: the member is gone either way, and a retry after a timeout
/// meets exactly that. 301005 (the enterprise's creator) is <c>Rejected</c>.
/// </summary>
internal sealed class DeleteOperation(IWeComClient weCom, IOptions<LifecycleOptions> lifecycle) : IMemberOperation<DeleteMember>
{
    // A refused delete removes nothing, so the guard does not count it.
    public bool Removes(DeleteMember command) => lifecycle.Value.AllowDelete;

    public MemberAspects Touches(DeleteMember command) => MemberAspects.State;

    public async Task<Outcome> ApplyAsync(string corpId, DeleteMember command, OutcomeFactory outcomes, CancellationToken cancellationToken)
    {
        if (!lifecycle.Value.AllowDelete)
            return outcomes.Failed(FailureReasons.NotAllowed,
                "deleting members is switched off (it is irreversible and takes the member's mailbox): DisableMember is the usual leaver action; set Lifecycle:AllowDelete=true to allow deletes");
        var result = await weCom.DeleteUserAsync(corpId, command.UserId, cancellationToken).ConfigureAwait(false);
        return result.Class switch
        {
            WeComErrorClass.Ok => outcomes.Applied(new MemberDeleted { AlreadyGone = false }),
            WeComErrorClass.NotFound => outcomes.Applied(new MemberDeleted { AlreadyGone = true }),
            _ => outcomes.FromFailure("user/delete", result),
        };
    }
}
