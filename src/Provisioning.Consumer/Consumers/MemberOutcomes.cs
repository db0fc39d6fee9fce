using Provisioning.Consumer.WeCom;
using Provisioning.Consumer.WeCom.Models;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Consumers;

/// <summary>Builds the outcome events of one attempt at one command.</summary>
internal sealed class MemberOutcomes(CreateMember command, int attempts, DateTimeOffset now)
{
    public Outcome Created(string corpId, WeComResult<UserCreateResponse> result, bool alreadyExisted) => new Outcome.Created(new MemberCreated
    {
        RequestId = command.RequestId,
        CorpId = corpId,
        UserId = command.UserId,
        CreatedDepartments = result.Response?.CreatedDepartmentList?.DepartmentInfo?
            .Select(d => new CreatedDepartment { Id = d.Id, Name = d.Name ?? "" }).ToList() ?? [],
        AlreadyExisted = alreadyExisted,
        Response = result.Raw,
        Attempts = attempts,
        OccurredAt = now,
    });

    public Outcome UnknownCorp() => new Outcome.Failed(Failed(command.CorpId ?? "", FailureReasons.UnknownCorp) with
    {
        Errors = [new FieldError { Field = "corpId", Message = $"corp id '{command.CorpId}' is not configured in this service (WeCom:CorpId or WeCom:Corps)" }],
    });

    public Outcome Invalid(string corpId, IReadOnlyList<FieldError> errors) =>
        new Outcome.Failed(Failed(corpId, FailureReasons.Invalid) with { Errors = errors });

    public Outcome Rejected<T>(string corpId, string reason, WeComResult<T> result)
        where T : class =>
        new Outcome.Failed(Failed(corpId, reason) with { ErrCode = result.ErrCode, ErrMsg = result.ErrMsg });

    MemberCreationFailed Failed(string corpId, string reason) => new()
    {
        RequestId = command.RequestId,
        CorpId = corpId,
        UserId = command.UserId ?? "",
        Reason = reason,
        Attempts = attempts,
        OccurredAt = now,
    };
}
