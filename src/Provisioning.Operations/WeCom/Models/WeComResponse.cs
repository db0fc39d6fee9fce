using System.Text.Json.Serialization;

namespace Provisioning.WeCom.Models;

/// <summary>The envelope of every WeCom answer: success is HTTP 200 and <c>errcode == 0</c>.</summary>
public class WeComResponse
{
    [JsonPropertyName("errcode")] public int? ErrCode { get; init; }
    [JsonPropertyName("errmsg")] public string? ErrMsg { get; init; }
}
