namespace Provisioning.Contracts;

/// <summary>
/// Command: enable a disabled member again (<c>user/update</c> with <c>enable: 1</c>): the rehire of a person whose member
/// still exists. A member that was deleted is created again with <see cref="CreateMember"/> or <see cref="SyncMember"/>.
/// </summary>
public sealed record EnableMember : IProvisioningCommand
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
