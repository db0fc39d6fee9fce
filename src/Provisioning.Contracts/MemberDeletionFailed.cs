namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="DeleteMember"/> was not deleted, and will not be without a new command.</summary>
public sealed record MemberDeletionFailed : MemberCommandFailed;
