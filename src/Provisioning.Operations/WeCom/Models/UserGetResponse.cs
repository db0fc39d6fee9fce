using System.Text.Json.Serialization;

namespace Provisioning.WeCom.Models;

/// <summary>Answer of <c>GET /cgi-bin/user/get</c> (WeCom document 90196), the fields we reconcile and check on.</summary>
public sealed class UserGetResponse : WeComResponse
{
    /// <summary><see cref="Status"/> of a member who has activated their account.</summary>
    public const int Activated = 1;

    [JsonPropertyName("userid")] public string? UserId { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("mobile")] public string? Mobile { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }

    /// <summary>1 activated, 2 disabled, 4 not yet activated, 5 left.</summary>
    [JsonPropertyName("status")] public int? Status { get; init; }
}
