using System.Text.Json.Serialization;

namespace Provisioning.WeCom.Models;

/// <summary>Answer of <c>GET /cgi-bin/gettoken</c> (WeCom document 91039).</summary>
public sealed class GetTokenResponse : WeComResponse
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }

    /// <summary>Lifetime in seconds (7200 in practice).</summary>
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; init; }
}
