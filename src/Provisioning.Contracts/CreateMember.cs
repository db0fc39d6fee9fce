namespace Provisioning.Contracts;

/// <summary>
/// Command: create one person as a member of a WeCom enterprise through <c>user/create</c>
/// (WeCom document 90195). Mirrors the low-code node's 创建成员 form field for field.
/// Every field but <see cref="RequestId"/>, <see cref="UserId"/> and <see cref="Name"/> is optional;
/// optional fields that are absent are not sent to WeCom at all.
/// </summary>
public sealed record CreateMember : MemberProfile, IProvisioningCommand
{
    string IProvisioningCommand.EntityKey => UserId;

    /// <summary>Idempotency key chosen by the publisher: the same request id always gets the same outcome. Required, not <see cref="Guid.Empty"/>.</summary>
    public Guid RequestId { get; init; }

    /// <summary>Which configured enterprise (WeCom corp id) to create the member in; absent means the default <c>WeCom:CorpId</c>.</summary>
    public string? CorpId { get; init; }

    /// <summary>成员UserID, WeCom <c>userid</c>: 1-64 bytes of letters, digits and <c>_-@.</c>, starting with a letter or digit; unique ignoring case.</summary>
    public string UserId { get; init; } = "";

    /// <summary>成员名称, WeCom <c>name</c>: 1-64 characters.</summary>
    public string Name { get; init; } = "";

    /// <summary>
    /// The command's revision at its source (an HR record's revision, or its change time in ms). Optional: a command
    /// older than the last one applied for the same member is not applied (reason <c>Superseded</c>).
    /// </summary>
    public long? Version { get; init; }
}
