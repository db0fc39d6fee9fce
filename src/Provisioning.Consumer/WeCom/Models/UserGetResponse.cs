using System.Text.Json.Serialization;

namespace Provisioning.Consumer.WeCom.Models;

/// <summary>Answer of <c>GET /cgi-bin/user/get</c> (WeCom document 90196), the fields we reconcile on.</summary>
public sealed class UserGetResponse : WeComResponse
{
    [JsonPropertyName("userid")] public string? UserId { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("mobile")] public string? Mobile { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
}
