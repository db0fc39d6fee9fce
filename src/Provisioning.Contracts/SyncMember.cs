namespace Provisioning.Contracts;

/// <summary>
/// Command: the desired state of one person, for sources that only know "this is Zhang San now". Creates the member
/// when WeCom has none with this userid, otherwise updates it to the given fields (and enables or disables it as
/// <see cref="MemberProfile.Enable"/> says). Never reads the member first: reads may be refused (48009).
/// </summary>
public sealed record SyncMember : MemberProfile, IProvisioningCommand
{
    string IProvisioningCommand.EntityKey => UserId;

    /// <summary>Idempotency key chosen by the publisher. Required, not <see cref="Guid.Empty"/>.</summary>
    public Guid RequestId { get; init; }

    /// <summary>Which configured enterprise; absent means the default <c>WeCom:CorpId</c>.</summary>
    public string? CorpId { get; init; }

    /// <summary>The member's userid, as for <see cref="CreateMember.UserId"/>. Required.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The member's name, 1-64 characters. Required.</summary>
    public string Name { get; init; } = "";

    /// <summary>The command's revision at its source; see <see cref="CreateMember.Version"/>.</summary>
    public long? Version { get; init; }
}
