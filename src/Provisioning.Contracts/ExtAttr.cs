namespace Provisioning.Contracts;

/// <summary>WeCom <c>extattr</c>: <c>{"attrs":[…]}</c>. WeCom silently ignores attribute names the enterprise has not defined.</summary>
public sealed record ExtAttr
{
    /// <summary>The attributes, WeCom <c>attrs</c>.</summary>
    public IReadOnlyList<ExtAttrItem> Attrs { get; init; } = [];
}
