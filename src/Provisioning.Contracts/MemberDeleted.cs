namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="DeleteMember"/> no longer exists in WeCom.</summary>
public sealed record MemberDeleted : MemberCommandSucceeded
{
    /// <summary>True when WeCom had no such member already (60111): nothing was deleted by this command.</summary>
    public bool AlreadyGone { get; init; }
}
