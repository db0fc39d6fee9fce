using System.Text.Json.Serialization;

namespace Provisioning.Contracts;

/// <summary>WeCom <c>external_profile</c>, in WeCom's own shape (snake_case names, as in the WeCom documents).</summary>
public sealed record ExternalProfile
{
    /// <summary>WeCom <c>external_corp_name</c>: the enterprise's short name shown to external contacts.</summary>
    [JsonPropertyName("external_corp_name")]
    public string? ExternalCorpName { get; init; }

    /// <summary>WeCom <c>wechat_channels</c>: the video channel shown on the profile.</summary>
    [JsonPropertyName("wechat_channels")]
    public WechatChannels? WechatChannels { get; init; }

    /// <summary>WeCom <c>external_attr</c>: attributes shown to external contacts (types 0, 1 and 2).</summary>
    [JsonPropertyName("external_attr")]
    public IReadOnlyList<ExtAttrItem>? ExternalAttr { get; init; }
}

/// <summary>WeCom <c>wechat_channels</c>.</summary>
public sealed record WechatChannels
{
    /// <summary>WeCom <c>nickname</c>: a video-channel name bound to the enterprise.</summary>
    public string? Nickname { get; init; }
}
