using System.Text.Json;
using System.Text.Json.Serialization;
using Provisioning.Contracts;

namespace Provisioning.Rules;

/// <summary>
/// Body of <c>POST /cgi-bin/user/create</c> (WeCom document 90195) and <c>POST /cgi-bin/user/update</c> (90197). Null
/// properties are not sent: a zero value for an unset field would change the member (<c>enable: 0</c> disables it), and
/// an update changes exactly the fields sent.
/// </summary>
public sealed class UserRequest
{
    [JsonPropertyName("userid")] public required string UserId { get; init; }
    [JsonPropertyName("new_userid")] public string? NewUserId { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("alias")] public string? Alias { get; init; }
    [JsonPropertyName("mobile")] public string? Mobile { get; init; }
    [JsonPropertyName("department")] public IReadOnlyList<long>? Department { get; init; }
    [JsonPropertyName("order")] public IReadOnlyList<long>? Order { get; init; }
    [JsonPropertyName("is_leader_in_dept")] public IReadOnlyList<int>? IsLeaderInDept { get; init; }
    [JsonPropertyName("position")] public string? Position { get; init; }
    [JsonPropertyName("gender")] public string? Gender { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
    [JsonPropertyName("biz_mail")] public string? BizMail { get; init; }
    [JsonPropertyName("telephone")] public string? Telephone { get; init; }
    [JsonPropertyName("direct_leader")] public IReadOnlyList<string>? DirectLeader { get; init; }
    [JsonPropertyName("avatar_mediaid")] public string? AvatarMediaId { get; init; }
    [JsonPropertyName("enable")] public int? Enable { get; init; }
    [JsonPropertyName("extattr")] public ExtAttr? ExtAttr { get; init; }
    [JsonPropertyName("to_invite")] public bool? ToInvite { get; init; }
    [JsonPropertyName("external_profile")] public ExternalProfile? ExternalProfile { get; init; }
    [JsonPropertyName("external_position")] public string? ExternalPosition { get; init; }
    [JsonPropertyName("nickname")] public string? Nickname { get; init; }
    [JsonPropertyName("address")] public string? Address { get; init; }
    [JsonPropertyName("main_department")] public long? MainDepartment { get; init; }

    /// <summary>The command's <c>extra</c> fields, written into the body as they came.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>The wire names the typed properties cover; <c>extra</c> may not repeat them.</summary>
    public static readonly IReadOnlySet<string> TypedFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "userid", "new_userid", "name", "alias", "mobile", "department", "order", "is_leader_in_dept", "position",
        "gender", "email", "biz_mail", "telephone", "direct_leader", "avatar_mediaid", "enable",
        "extattr", "to_invite", "external_profile", "external_position", "nickname", "address",
        "main_department",
    };
}
