using Provisioning.Broker;
using Provisioning.Contracts;

namespace Provisioning.Cli;

internal sealed record ReplayOptions
{
    public required Uri Broker { get; init; }

    public string Queue { get; init; } = CommandQueueNames.Queue(typeof(CreateMember));

    /// <summary>Where the messages are taken from: the queue's error queue, or (for <c>held</c>) its held queue.</summary>
    public string Source => Queue + SourceSuffix;

    public string SourceSuffix { get; init; } = "_error";

    /// <summary>For <c>held release|reject</c>: the operator's decision, set as the <c>Provisioning-Guard</c> header.</summary>
    public string? GuardDecision { get; init; }

    public bool DryRun { get; init; }

    public bool All { get; init; }

    public HashSet<Guid> RequestIds { get; init; } = [];

    public HashSet<string> UserIds { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<int> ErrCodes { get; init; } = [];

    public TimeSpan? OlderThan { get; init; }

    /// <summary>Messages per second put back (0: as fast as confirms come), so a large replay does not flood WeCom.</summary>
    public double Rate { get; init; }

    public bool HasFilter => RequestIds.Count > 0 || UserIds.Count > 0 || ErrCodes.Count > 0 || OlderThan is not null;

    public bool Matches(DeadLetter letter, DateTimeOffset now) =>
        (RequestIds.Count == 0 || letter.RequestId is { } id && RequestIds.Contains(id)) &&
        (UserIds.Count == 0 || letter.UserId is { } user && UserIds.Contains(user)) &&
        (ErrCodes.Count == 0 || letter.ErrCode is { } code && ErrCodes.Contains(code)) &&
        (OlderThan is null || letter.FaultedAt is { } at && now - at >= OlderThan);
}
