namespace Provisioning.Contracts;

/// <summary>
/// Command: delete a member (<c>GET user/delete</c>, WeCom document 90198). **Irreversible**: it also deletes the
/// member's Tencent enterprise mailbox. Refused unless the service runs with <c>Lifecycle:AllowDelete=true</c>; a member
/// that is already gone (60111) is a success that says so.
/// </summary>
public sealed record DeleteMember : IProvisioningCommand
{
    string IProvisioningCommand.EntityKey => UserId;

    /// <summary>Idempotency key chosen by the publisher. Required, not <see cref="Guid.Empty"/>.</summary>
    public Guid RequestId { get; init; }

    /// <summary>Which configured enterprise; absent means the default <c>WeCom:CorpId</c>.</summary>
    public string? CorpId { get; init; }

    /// <summary>The member's userid. Required.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The command's revision at its source; see <see cref="CreateMember.Version"/>.</summary>
    public long? Version { get; init; }
}
