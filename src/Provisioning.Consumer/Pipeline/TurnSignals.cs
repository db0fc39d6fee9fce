using System.Collections.Concurrent;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// Wakes, in this process, the deliveries that wait on an entity (a member today; any key of the ledger's order): when a
/// request of it ends or steps aside (<see cref="Ended"/>), and when one is applied (<see cref="Applied"/>). Waiting costs
/// nothing then: no store polling at a short interval and no WeCom call to see whether the member is there yet. Other
/// replicas' ends are not seen here: waiters also wake on their time-out and look again.
/// </summary>
internal sealed class TurnSignals
{
    readonly ConcurrentDictionary<string, TaskCompletionSource> _ended = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, TaskCompletionSource> _applied = new(StringComparer.Ordinal);

    /// <summary>The key of one member of one enterprise; userids compare ignoring case, as WeCom compares them.</summary>
    public static string KeyOf(string corpId, string userId) => $"{corpId}\n{userId.ToLowerInvariant()}";

    /// <summary>The next end of a request of <paramref name="key"/>. Take it before looking at the store, or a wake-up may be missed.</summary>
    public Signal NextEnd(string key) => Next(_ended, key);

    /// <summary>The next request of <paramref name="key"/> applied. Take it before the call that found nothing.</summary>
    public Signal NextApplied(string key) => Next(_applied, key);

    public void Ended(string key) => Fire(_ended, key);

    public void Applied(string key)
    {
        Fire(_applied, key);
        Fire(_ended, key);
    }

    /// <summary>Only keys someone waits on are held: an entry leaves when it fires, or when a waiter gives up on it.</summary>
    public int Count => _ended.Count + _applied.Count;

    static Signal Next(ConcurrentDictionary<string, TaskCompletionSource> signals, string key) =>
        new(signals, key, signals.GetOrAdd(key, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));

    static void Fire(ConcurrentDictionary<string, TaskCompletionSource> signals, string key)
    {
        if (signals.TryRemove(key, out var signal))
            signal.TrySetResult();
    }

    /// <summary>One awaited wake-up.</summary>
    public readonly struct Signal(ConcurrentDictionary<string, TaskCompletionSource> signals, string key, TaskCompletionSource source)
    {
        /// <summary>Waits up to <paramref name="timeout"/>; true when it came.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            if (!source.Task.IsCompleted && timeout > TimeSpan.Zero)
            {
                try
                {
                    await source.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
            }
            if (source.Task.IsCompleted)
                return true;
            // Given up: the entry goes (another waiter on it then wakes on its own time-out), so keys that never end
            // (a delete of a member nobody ever creates) hold no memory.
            signals.TryRemove(KeyValuePair.Create(key, source));
            return false;
        }
    }
}
