namespace Provisioning.Contracts;

/// <summary>One entry of 成员所属部门列表: a department, the member's order in it, and whether the member leads it.</summary>
public sealed record DepartmentMembership
{
    /// <summary>Department id, WeCom <c>department[i]</c>. Required (a command without it is invalid); 0 means 其他（待设置部门）.</summary>
    public long? Id { get; init; }

    /// <summary>Order within the department, WeCom <c>order[i]</c>: 0 to 2^32-1; absent means 0.</summary>
    public long? Order { get; init; }

    /// <summary>Whether the member leads this department, WeCom <c>is_leader_in_dept[i]</c> (sent as 1/0); absent means false.</summary>
    public bool? IsLeader { get; init; }
}
