namespace Provisioning.Contracts;

/// <summary>One broken rule of a command: the field (camelCase path, e.g. <c>departments[2].id</c>) and what is wrong with it.</summary>
public sealed record FieldError
{
    /// <summary>The field's path in the command, e.g. <c>mobile</c> or <c>extAttr.attrs[0].web.url</c>.</summary>
    public string Field { get; init; } = "";

    /// <summary>The rule that was broken, in plain words.</summary>
    public string Message { get; init; } = "";
}
