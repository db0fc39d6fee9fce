using System.Text.Json.Serialization;

namespace Provisioning.Contracts;

/// <summary>One custom attribute of <c>extattr.attrs</c> or <c>external_profile.external_attr</c>, in WeCom's shape.</summary>
public sealed record ExtAttrItem
{
    /// <summary>WeCom <c>type</c>: 0 text (set <see cref="Text"/>), 1 web (set <see cref="Web"/>), 2 mini program (external attributes only; set <see cref="Miniprogram"/>).</summary>
    public int Type { get; init; }

    /// <summary>WeCom <c>name</c>: the attribute's name as defined in the enterprise.</summary>
    public string Name { get; init; } = "";

    /// <summary>WeCom <c>text</c>, for type 0.</summary>
    public ExtAttrText? Text { get; init; }

    /// <summary>WeCom <c>web</c>, for type 1.</summary>
    public ExtAttrWeb? Web { get; init; }

    /// <summary>WeCom <c>miniprogram</c>, for type 2.</summary>
    [JsonPropertyName("miniprogram")]
    public ExtAttrMiniprogram? Miniprogram { get; init; }
}

/// <summary>A text attribute, WeCom <c>text</c>.</summary>
public sealed record ExtAttrText
{
    /// <summary>WeCom <c>value</c>: at most 64 characters.</summary>
    public string Value { get; init; } = "";
}

/// <summary>A web attribute, WeCom <c>web</c>.</summary>
public sealed record ExtAttrWeb
{
    /// <summary>WeCom <c>url</c>: must start with http:// or https://.</summary>
    public string Url { get; init; } = "";

    /// <summary>WeCom <c>title</c>: at most 12 characters.</summary>
    public string Title { get; init; } = "";
}

/// <summary>A mini-program attribute, WeCom <c>miniprogram</c>.</summary>
public sealed record ExtAttrMiniprogram
{
    /// <summary>WeCom <c>appid</c>: the mini program's app id.</summary>
    [JsonPropertyName("appid")]
    public string AppId { get; init; } = "";

    /// <summary>WeCom <c>pagepath</c>: the page to open.</summary>
    [JsonPropertyName("pagepath")]
    public string? PagePath { get; init; }

    /// <summary>WeCom <c>title</c>: the link's title.</summary>
    public string Title { get; init; } = "";
}
