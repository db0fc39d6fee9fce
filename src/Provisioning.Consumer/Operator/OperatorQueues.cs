using Microsoft.Extensions.Options;
using Provisioning.Broker;
using Provisioning.Contracts;
using RabbitMQ.Client;
using Provisioning.Consumer.Transport;

namespace Provisioning.Consumer.Operator;

/// <summary>A message waiting for an operator: in which queue, what it is.</summary>
public sealed record WaitingCommand(string Queue, string InputQueue, Guid? RequestId, string? CorpId, string? UserId, int? ErrCode,
    DateTimeOffset? FaultedAt, string? Reason);

/// <summary>What an operator's move did: the requests moved, and those asked for that were not found (moved by someone else, or never there).</summary>
public sealed record MoveResult(IReadOnlyList<Guid> Moved, IReadOnlyList<Guid> NotFound);

/// <summary>
/// The queues operators act on, per command type: its error queue (<c>{input}_error</c>: dead letters) and its held queue
/// (<c>{input}_held</c>: removals the deletion guard held). Read and moved with the CLI's rules (<see cref="QueueMover"/>):
/// reading takes nothing away for good, and a move is confirmed by the broker before the original is acknowledged.
/// </summary>
internal sealed class OperatorQueues(IOptions<RabbitMqOptions> rabbit, CommandQueues queues, WeCom.CorpDirectory corps) : IAsyncDisposable
{
    const int MaxPeek = 500;
    readonly SemaphoreSlim _gate = new(1, 1);
    IConnection? _connection;

    public Task<IReadOnlyList<WaitingCommand>> DeadLettersAsync(CancellationToken cancellationToken) => PeekAsync("_error", cancellationToken);

    public Task<IReadOnlyList<WaitingCommand>> HeldAsync(CancellationToken cancellationToken) => PeekAsync("_held", cancellationToken);

    /// <summary>Puts the chosen dead letters back in their input queues, for the consumer to try again.</summary>
    public Task<MoveResult> ReplayAsync(IReadOnlySet<Guid> requestIds, CancellationToken cancellationToken) =>
        MoveAsync("_error", requestIds, guardDecision: null, cancellationToken);

    /// <summary>Releases (applies) or rejects the chosen held removals.</summary>
    public Task<MoveResult> DecideHeldAsync(IReadOnlySet<Guid> requestIds, bool release, CancellationToken cancellationToken) =>
        MoveAsync("_held", requestIds, release ? ProvisioningHeaders.GuardReleased : ProvisioningHeaders.GuardRejected, cancellationToken);

    async Task<IReadOnlyList<WaitingCommand>> PeekAsync(string suffix, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        var waiting = new List<WaitingCommand>();
        foreach (var input in queues.Inputs.Order(StringComparer.Ordinal))
        {
            var letters = await QueueMover.PeekAsync(connection, input + suffix, MaxPeek, cancellationToken).ConfigureAwait(false);
            // A command that named no enterprise is for the default one.
            waiting.AddRange(letters.Select(l => new WaitingCommand(input + suffix, input, l.RequestId, l.CorpId ?? corps.All[0], l.UserId, l.ErrCode, l.FaultedAt, l.Reason)));
        }
        return waiting;
    }

    async Task<MoveResult> MoveAsync(string suffix, IReadOnlySet<Guid> requestIds, string? guardDecision, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        var moved = new List<Guid>();
        foreach (var input in queues.Inputs)
        {
            // A request id is moved once, even if the queue holds it twice (the second stays for a later decision).
            await QueueMover.PassAsync(connection, input + suffix, input, guardDecision,
                letter => letter.RequestId is { } id && requestIds.Contains(id) && !moved.Contains(id) ? QueueMover.Decision.Move : QueueMover.Decision.Keep,
                letter =>
                {
                    moved.Add(letter.RequestId!.Value);
                    return Task.CompletedTask;
                }, rate: 0, int.MaxValue, cancellationToken).ConfigureAwait(false);
        }
        return new MoveResult(moved, requestIds.Except(moved).ToList());
    }

    async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { IsOpen: true })
                return _connection;
            if (_connection is not null)
                await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = await BrokerConnection.OpenAsync(rabbit.Value, "provisioning-consumer-console", cancellationToken).ConfigureAwait(false);
            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
