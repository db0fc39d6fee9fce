using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioning.WeCom;

/// <summary>JSON settings for the WeCom wire.</summary>
internal static class WeComJson
{
    /// <summary>
    /// Only given fields are written; names are WeCom's snake_case (explicit on the models, the policy covers the
    /// nested contract records); and nothing is written as a <c>\u</c> escape, which WeCom rejects with 40033.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = WeComJsonEncoder.Instance,
        PropertyNameCaseInsensitive = true,
    };

    /// <summary>A <c>user/create</c> or <c>user/update</c> body as WeCom receives it: UTF-8 JSON without <c>\u</c> escapes.</summary>
    public static byte[] Serialize(Rules.UserRequest request) => JsonSerializer.SerializeToUtf8Bytes(request, Options);
}
