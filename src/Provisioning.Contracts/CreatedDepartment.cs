namespace Provisioning.Contracts;

/// <summary>A placeholder department WeCom created, one entry of <c>created_department_list.department_info</c>.</summary>
public sealed record CreatedDepartment
{
    /// <summary>WeCom <c>id</c>: the department id the command asked for.</summary>
    public long Id { get; init; }

    /// <summary>WeCom <c>name</c>: the placeholder's name.</summary>
    public string Name { get; init; } = "";
}
