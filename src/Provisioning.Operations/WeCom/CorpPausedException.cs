namespace Provisioning.WeCom;

/// <summary>
/// The enterprise is paused (a systemic failure) and it is not this command's turn to probe: the command goes back to
/// the broker unfailed, and does not count as an attempt. Never the command's fault.
/// </summary>
public sealed class CorpPausedException(string corpId, string cause, DateTimeOffset nextProbeAt)
    : Exception($"Corp {corpId} is paused until at least {nextProbeAt:O}: {cause}")
{
    public string CorpId { get; } = corpId;
}
