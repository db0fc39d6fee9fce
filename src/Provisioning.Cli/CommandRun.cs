using System.Collections.Concurrent;

namespace Provisioning.Cli;

/// <summary>
/// Publishes commands and gathers their outcomes: the part <c>publish</c> and <c>import</c> share. The broker is
/// checked first (<see cref="BrokerCheck"/>); commands are published in order when <see cref="Parallel"/> is 1.
/// </summary>
internal sealed class CommandRun
{
    public required Uri Broker { get; init; }

    /// <summary>Publishes in flight at once: 1 keeps the file's order (a member's commands in a lifecycle file).</summary>
    public int Parallel { get; init; } = 1;

    public bool Wait { get; init; } = true;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout counts from the last outcome that arrived, not from the end of publishing: for a long import.</summary>
    public bool TimeoutIsIdle { get; init; }

    public Action<string> Warn { get; init; } = _ => { };

    /// <summary>Called once the broker was checked and the bus started, just before the first publish.</summary>
    public Action Starting { get; init; } = () => { };

    public Action<MemberCommandFile.Item> Published { get; init; } = _ => { };

    public Action<MemberCommandFile.Item, CommandOutcome> Arrived { get; init; } = (_, _) => { };

    /// <summary>What became of the run: the outcomes that arrived, and the commands still without one.</summary>
    public sealed record Result(IReadOnlyDictionary<Guid, CommandOutcome> Outcomes, IReadOnlyList<MemberCommandFile.Item> Pending, bool TimedOut);

    public async Task<Result> ExecuteAsync(IReadOnlyList<MemberCommandFile.Item> items, CancellationToken cancellationToken)
    {
        foreach (var warning in await BrokerCheck.RunAsync(Broker, items.Select(i => i.Type), cancellationToken).ConfigureAwait(false))
            Warn(warning);

        var pending = new ConcurrentDictionary<Guid, MemberCommandFile.Item>(items.Select(i => KeyValuePair.Create(i.RequestId, i)));
        var outcomes = new ConcurrentDictionary<Guid, CommandOutcome>();
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (items.Count == 0)
            allDone.TrySetResult();

        var lastArrival = Environment.TickCount64;
        await using var bus = await CommandBus.StartAsync(Broker, outcome =>
        {
            Interlocked.Exchange(ref lastArrival, Environment.TickCount64);
            // Outcomes of other runs' commands reach this queue too, and a command published twice can be answered twice.
            if (!pending.TryRemove(outcome.RequestId, out var item))
                return;
            outcomes[outcome.RequestId] = outcome;
            Arrived(item, outcome);
            if (pending.IsEmpty)
                allDone.TrySetResult();
        }, cancellationToken).ConfigureAwait(false);

        Starting();
        var published = 0;
        try
        {
            await System.Threading.Tasks.Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken },
                async (item, token) =>
                {
                    await bus.PublishAsync(item, token).ConfigureAwait(false);
                    Interlocked.Increment(ref published);
                    Published(item);
                }).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            throw new CliException($"{ex.Message}; {published} of {items.Count} command(s) had been published", ex.ExitCode);
        }

        var timedOut = false;
        if (Wait && items.Count > 0)
        {
            Interlocked.Exchange(ref lastArrival, Environment.TickCount64);
            while (!allDone.Task.IsCompleted && !timedOut)
            {
                var left = TimeoutIsIdle ? Timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref lastArrival)) : Timeout;
                if (left > TimeSpan.Zero)
                    await Task.WhenAny(allDone.Task, Task.Delay(left, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                timedOut = !allDone.Task.IsCompleted && (!TimeoutIsIdle || Environment.TickCount64 - Interlocked.Read(ref lastArrival) >= Timeout.TotalMilliseconds);
            }
        }
        return new Result(outcomes, [.. items.Where(i => pending.ContainsKey(i.RequestId))], timedOut);
    }
}
