namespace Provisioning.Contracts;

/// <summary>The transport headers the service reads and writes, in one place for the service and its tools.</summary>
public static class ProvisioningHeaders
{
    /// <summary>On a parked command: how many times it has been parked so far (our own count: <c>x-death</c> is the broker's).</summary>
    public const string RetryTier = "Provisioning-Retry-Tier";

    /// <summary>On an outcome published again for a duplicate of a request that had ended.</summary>
    public const string Replay = "Provisioning-Replay";

    /// <summary>On a command in an error queue: the WeCom errcode of its last failure, when WeCom answered one.</summary>
    public const string ErrCode = "Provisioning-ErrCode";

    /// <summary>On a command an operator put back from an error or held queue (CLI or console): that queue's name.</summary>
    public const string MovedFrom = "Provisioning-Moved-From";

    /// <summary>On a command an operator took out of the deletion guard: <see cref="GuardReleased"/> or <see cref="GuardRejected"/>.</summary>
    public const string Guard = "Provisioning-Guard";

    /// <summary>Apply it, beyond the deletion threshold.</summary>
    public const string GuardReleased = "released";

    /// <summary>Do not apply it: it fails as <c>NotAllowed</c>.</summary>
    public const string GuardRejected = "rejected";
}
