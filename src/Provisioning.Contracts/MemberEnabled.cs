namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="EnableMember"/> is enabled in WeCom again.</summary>
public sealed record MemberEnabled : MemberCommandSucceeded;
