namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="DisableMember"/> is disabled in WeCom (it cannot sign in; its data stays).</summary>
public sealed record MemberDisabled : MemberCommandSucceeded;
