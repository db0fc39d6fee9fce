namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="SyncMember"/> was not brought to the given state, and will not be without a new command.</summary>
public sealed record MemberSyncFailed : MemberCommandFailed;
