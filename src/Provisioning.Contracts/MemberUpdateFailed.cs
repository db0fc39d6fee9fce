namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="UpdateMember"/> was not changed, and will not be without a new command.</summary>
public sealed record MemberUpdateFailed : MemberCommandFailed;
