namespace Provisioning.Contracts;

/// <summary>
/// Command: disable a member (<c>user/update</c> with <c>enable: 0</c>), the default leaver action: the person can no longer
/// sign in, their data and history stay, and <see cref="EnableMember"/> brings them back.
/// </summary>
public sealed record DisableMember : IProvisioningCommand
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
