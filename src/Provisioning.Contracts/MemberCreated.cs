using System.Text.Json;

namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="CreateMember"/> exists in WeCom. Published exactly once per handled command.</summary>
public sealed record MemberCreated : MemberCommandSucceeded
{
    /// <summary>Placeholder departments WeCom created because a department id did not exist, from <c>created_department_list</c>. Empty when none.</summary>
    public IReadOnlyList<CreatedDepartment> CreatedDepartments { get; init; } = [];

    /// <summary>True when WeCom already held this member from an earlier attempt of the same request (errcode 60102 reconciled).</summary>
    public bool AlreadyExisted { get; init; }

    /// <summary>WeCom's JSON answer to <c>user/create</c>, as received.</summary>
    public JsonElement? Response { get; init; }
}
