namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="CreateMember"/> was not created, and will not be without a new command.</summary>
public sealed record MemberCreationFailed : MemberCommandFailed;
