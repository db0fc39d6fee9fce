using System.Text.Json.Serialization;

namespace Provisioning.WeCom.Models;

/// <summary>Answer of <c>POST /cgi-bin/user/create</c> (WeCom document 90195).</summary>
public sealed class UserCreateResponse : WeComResponse
{
    /// <summary>Placeholder departments WeCom created for department ids that did not exist.</summary>
    [JsonPropertyName("created_department_list")] public CreatedDepartmentList? CreatedDepartmentList { get; init; }
}

public sealed class CreatedDepartmentList
{
    [JsonPropertyName("department_info")] public IReadOnlyList<DepartmentInfo>? DepartmentInfo { get; init; }
}

public sealed class DepartmentInfo
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
}
