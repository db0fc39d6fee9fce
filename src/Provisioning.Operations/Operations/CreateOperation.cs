using Provisioning.Rules;
using Provisioning.Storage;
using Provisioning.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary>
/// <see cref="CreateMember"/>: <c>user/create</c>. A 60102 (the userid exists) after an earlier attempt of the same
/// request is that attempt's member, reconciled (<see cref="ExistingMemberReconciler"/>); otherwise a conflict.
/// </summary>
internal sealed class CreateOperation(IWeComClient weCom, ExistingMemberReconciler reconciler) : IMemberOperation<CreateMember>
{
    public MemberAspects Touches(CreateMember command) => MemberAspects.State | MemberAspects.Profile;

    public async Task<Outcome> ApplyAsync(string corpId, CreateMember command, OutcomeFactory outcomes, CancellationToken cancellationToken)
    {
        var result = await weCom.CreateUserAsync(corpId, UserRequestMapper.Map(command), cancellationToken).ConfigureAwait(false);
        switch (result.Class)
        {
            case WeComErrorClass.Ok:
                return outcomes.Applied(Created(result, alreadyExisted: false));
            case WeComErrorClass.AlreadyExists:
                var existing = await reconciler.ReconcileAsync(corpId, command, earlierAttempt: outcomes.Attempts > 1, cancellationToken).ConfigureAwait(false);
                return existing == ExistingMember.Ours
                    ? outcomes.Applied(Created(result, alreadyExisted: true))
                    : outcomes.Rejected(FailureReasons.Conflict, result);
            default:
                return outcomes.FromFailure("user/create", result);
        }
    }

    static MemberCreated Created(WeComResult<WeCom.Models.UserCreateResponse> result, bool alreadyExisted) => new()
    {
        CreatedDepartments = CreatedDepartments(result.Response),
        AlreadyExisted = alreadyExisted,
        Response = result.Raw,
    };

    /// <summary>Placeholder departments WeCom made for ids that did not exist.</summary>
    public static IReadOnlyList<CreatedDepartment> CreatedDepartments(WeCom.Models.UserCreateResponse? response) =>
        response?.CreatedDepartmentList?.DepartmentInfo?.Select(d => new CreatedDepartment { Id = d.Id, Name = d.Name ?? "" }).ToList() ?? [];
}
