namespace Provisioning.WeCom;

/// <summary>
/// First-come first-served slots whose number may change while they are in use: a lower limit lets the calls in flight
/// finish and admits no one until fewer are in use; a higher one admits waiters at once.
/// </summary>
internal sealed class AdjustableSemaphore(int limit)
{
    readonly Lock _gate = new();
    readonly LinkedList<TaskCompletionSource> _waiters = new();
    int _limit = limit;
    int _inUse;

    public int Limit => Volatile.Read(ref _limit);

    public int InUse => Volatile.Read(ref _inUse);

    public int Waiting
    {
        get
        {
            lock (_gate)
                return _waiters.Count;
        }
    }

    /// <summary>Takes a slot; <paramref name="queued"/> says whether it had to wait for one.</summary>
    public ValueTask AcquireAsync(out bool queued, CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_inUse < _limit && _waiters.Count == 0)
            {
                _inUse++;
                queued = false;
                return ValueTask.CompletedTask;
            }
            node = _waiters.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        queued = true;
        return new ValueTask(WaitAsync(node, cancellationToken));
    }

    async Task WaitAsync(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                // Still queued: it never got the slot, so nothing to give back.
                if (node.List is null)
                    return;
                _waiters.Remove(node);
            }
            node.Value.TrySetCanceled(cancellationToken);
        }).ConfigureAwait(false))
        {
            await node.Value.Task.ConfigureAwait(false);
        }
    }

    public void Release()
    {
        List<TaskCompletionSource>? granted;
        lock (_gate)
        {
            _inUse--;
            granted = Grant();
        }
        Complete(granted);
    }

    public void SetLimit(int limit)
    {
        List<TaskCompletionSource>? granted;
        lock (_gate)
        {
            _limit = limit;
            granted = Grant();
        }
        Complete(granted);
    }

    List<TaskCompletionSource>? Grant()
    {
        List<TaskCompletionSource>? granted = null;
        while (_inUse < _limit && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            _inUse++;
            (granted ??= []).Add(first.Value);
        }
        return granted;
    }

    static void Complete(List<TaskCompletionSource>? granted)
    {
        if (granted is null)
            return;
        foreach (var waiter in granted)
            waiter.TrySetResult();
    }
}
