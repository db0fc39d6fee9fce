namespace Provisioning.Contracts;

/// <summary>
/// Command: change an existing member through <c>user/update</c> (WeCom document 90197), the mover's command. Only
/// the fields given change; a given <see cref="MemberProfile.Departments"/> replaces the whole list. For a member who
/// has activated their account WeCom ignores <see cref="MemberProfile.Mobile"/> (the person owns their number).
/// </summary>
public sealed record UpdateMember : MemberProfile, IProvisioningCommand
{
    string IProvisioningCommand.EntityKey => UserId;

    /// <summary>Idempotency key chosen by the publisher. Required, not <see cref="Guid.Empty"/>.</summary>
    public Guid RequestId { get; init; }

    /// <summary>Which configured enterprise; absent means the default <c>WeCom:CorpId</c>.</summary>
    public string? CorpId { get; init; }

    /// <summary>The member's current userid. Required.</summary>
    public string UserId { get; init; } = "";

    /// <summary>A new name, WeCom <c>name</c>: 1-64 characters; absent keeps the name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// A new userid, WeCom <c>new_userid</c>. WeCom allows one rename, and only of a userid the system generated;
    /// otherwise it answers 301036 (the command fails as <c>Rejected</c>).
    /// </summary>
    public string? NewUserId { get; init; }

    /// <summary>The command's revision at its source; see <see cref="CreateMember.Version"/>.</summary>
    public long? Version { get; init; }
}
