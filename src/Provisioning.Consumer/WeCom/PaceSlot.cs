namespace Provisioning.Consumer.WeCom;

/// <summary>
/// A command's slot in its enterprise's pace (<see cref="CorpPace"/>). While the command runs it is
/// <see cref="Current"/>, so the WeCom client and the retries can add what they waited (for a rate-limit token, a pause,
/// a retry delay): that time says nothing about how long WeCom takes, and is left out of the service time.
/// </summary>
internal sealed class PaceSlot(CorpPace pace, long started) : IDisposable
{
    static readonly AsyncLocal<PaceSlot?> Ambient = new();
    long _waitedTicks;
    int _disposed;

    /// <summary>The slot of the command running on this flow, if any.</summary>
    public static PaceSlot? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    public long Started { get; } = started;

    public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    public void AddWaited(TimeSpan waited)
    {
        if (waited > TimeSpan.Zero)
            Interlocked.Add(ref _waitedTicks, waited.Ticks);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            pace.Exit(this);
    }
}
