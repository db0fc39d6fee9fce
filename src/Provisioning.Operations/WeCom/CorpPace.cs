namespace Provisioning.WeCom;

/// <summary>
/// One enterprise's commands in flight on this instance: a slot per command (taken before its idempotency claim, given
/// back after its outcome), so an enterprise's slots are its own. Their number follows <see cref="ConcurrencyController"/>,
/// fed every second with what the commands measured; or it is fixed (<see cref="WeComLimitsOptions.ConcurrentCalls"/>).
/// </summary>
internal sealed class CorpPace : IDisposable
{
    static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);
    static readonly TimeSpan MeasuringInterval = TimeSpan.FromSeconds(1);

    readonly TimeProvider _time;
    readonly ConcurrencyController? _controller;
    readonly AdjustableSemaphore _slots;
    readonly ITimer? _timer;
    readonly Lock _gate = new();
    readonly TimeSpan _cutSpacing;
    long _intervalStart;
    long _firstEntry;
    bool _anyCompleted;
    int _completed;
    TimeSpan _service;
    bool _saturated;
    long _lastCut = long.MinValue;

    public CorpPace(string corpId, WeComLimitsOptions options, TimeProvider time)
    {
        CorpId = corpId;
        _time = time;
        _cutSpacing = options.ConcurrencyLimitedPause > TimeSpan.FromSeconds(1) ? options.ConcurrencyLimitedPause : TimeSpan.FromSeconds(1);
        if (options.ConcurrentCalls is { } fixedLimit)
        {
            _slots = new AdjustableSemaphore(fixedLimit);
            return;
        }
        _controller = new ConcurrencyController(options.CallsPerMinute / options.RateWindow.TotalSeconds,
            options.MinConcurrentCalls, options.MaxConcurrentCalls);
        _slots = new AdjustableSemaphore(_controller.Limit);
        _timer = time.CreateTimer(_ => Tick(), null, TickInterval, TickInterval);
    }

    public string CorpId { get; }

    public int Limit => _slots.Limit;

    public int InFlight => _slots.InUse;

    /// <summary>The ceiling learnt from 45033 or saturation, if one holds (adaptive only).</summary>
    public int? Ceiling
    {
        get
        {
            lock (_gate)
                return _controller?.Ceiling;
        }
    }

    /// <summary>Takes a slot for one command; dispose the result when the command has its outcome.</summary>
    public async ValueTask<PaceSlot> EnterAsync(CancellationToken cancellationToken)
    {
        var pending = _slots.AcquireAsync(out var queued, cancellationToken);
        if (queued || _firstEntry == 0)
        {
            lock (_gate)
            {
                _saturated |= queued;
                if (_firstEntry == 0)
                    _firstEntry = _intervalStart = _time.GetTimestamp();
            }
        }
        await pending.ConfigureAwait(false);
        return new PaceSlot(this, _time.GetTimestamp());
    }

    /// <summary>A command gives its slot back while it waits for something that is not WeCom (its member's turn).</summary>
    internal void StepAside() => _slots.Release();

    /// <summary>The command takes a slot again after <see cref="StepAside"/>, waiting behind the others if none is free.</summary>
    internal ValueTask ReturnAsync(CancellationToken cancellationToken) => _slots.AcquireAsync(out _, cancellationToken);

    internal void Exit(PaceSlot slot)
    {
        var service = _time.GetElapsedTime(slot.Started) - slot.Waited;
        lock (_gate)
        {
            _anyCompleted = true;
            _completed++;
            _service += service > TimeSpan.Zero ? service : TimeSpan.Zero;
        }
        _slots.Release();
    }

    /// <summary>WeCom answered 45033: fewer in flight at once (one cut per pause: the answers of one burst count once).</summary>
    public void TooManyConcurrentCalls()
    {
        if (_controller is null)
            return;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_lastCut != long.MinValue && _time.GetElapsedTime(_lastCut, now) < _cutSpacing)
                return;
            _lastCut = now;
            _controller.TooManyConcurrentCalls(_slots.InUse, Since(now));
            RestartInterval(now);
        }
        _slots.SetLimit(_controller.Limit);
    }

    void Tick()
    {
        lock (_gate)
        {
            if (_firstEntry == 0)
                return;
            var now = _time.GetTimestamp();
            if (!_anyCompleted)
            {
                if (_slots.Waiting > 0)
                    _controller!.NothingCompletedYet(_time.GetElapsedTime(_firstEntry, now));
            }
            else
            {
                var elapsed = _time.GetElapsedTime(_intervalStart, now);
                if (elapsed < MeasuringInterval || _completed == 0)
                    return;
                _controller!.Evaluate(new ConcurrencyController.Interval(_slots.Limit, _completed / elapsed.TotalSeconds,
                    _service / _completed, _saturated || _slots.Waiting > 0), Since(now));
                RestartInterval(now);
            }
        }
        _slots.SetLimit(_controller!.Limit);
    }

    void RestartInterval(long now)
    {
        _intervalStart = now;
        _completed = 0;
        _service = TimeSpan.Zero;
        _saturated = false;
    }

    TimeSpan Since(long now) => _time.GetElapsedTime(_firstEntry == 0 ? now : _firstEntry, now);

    public void Dispose() => _timer?.Dispose();
}
