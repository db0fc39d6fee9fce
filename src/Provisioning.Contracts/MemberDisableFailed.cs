namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="DisableMember"/> was not disabled, and will not be without a new command.</summary>
public sealed record MemberDisableFailed : MemberCommandFailed;
