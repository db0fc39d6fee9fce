namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="EnableMember"/> was not enabled, and will not be without a new command.</summary>
public sealed record MemberEnableFailed : MemberCommandFailed;
