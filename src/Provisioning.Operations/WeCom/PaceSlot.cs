namespace Provisioning.WeCom;

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

    /// <summary>
    /// Gives the slot back while <paramref name="waiting"/> runs (the command waits for its member's turn, which calls no
    /// WeCom API), then takes one again: waiting commands do not hold the enterprise's slots from those that can run, and
    /// the time is left out of the service time.
    /// </summary>
    public async Task AsideAsync(Task waiting, TimeProvider time)
    {
        var started = time.GetTimestamp();
        pace.StepAside();
        try
        {
            await waiting.ConfigureAwait(false);
        }
        finally
        {
            // Not cancellable: the slot must be held again before the command ends and gives it back.
            await pace.ReturnAsync(CancellationToken.None).ConfigureAwait(false);
            AddWaited(time.GetElapsedTime(started));
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            pace.Exit(this);
    }
}
