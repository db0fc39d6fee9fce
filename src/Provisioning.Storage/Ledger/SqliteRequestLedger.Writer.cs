using Microsoft.Data.Sqlite;

namespace Provisioning.Storage;

internal sealed partial class SqliteRequestLedger
{
    /// <summary>Queues a write for the writer loop. <paramref name="atomic"/>: several statements that must commit together, also when no other write runs with them.</summary>
    Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken, bool atomic = false)
    {
        var pending = new PendingWrite<T>(write, atomic, cancellationToken);
        Interlocked.Increment(ref _queued);
        if (!_writes.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(GetType().FullName);
        }
        return pending.Task;
    }

    async Task WriteLoopAsync()
    {
        var group = new List<PendingWrite>(MaxGroup);
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < MaxGroup && _writes.Reader.TryRead(out var pending))
            {
                Interlocked.Decrement(ref _queued);
                if (pending.CancellationToken.IsCancellationRequested)
                    pending.Fail(new OperationCanceledException(pending.CancellationToken));
                else
                    group.Add(pending);
            }
            if (group.Count > 0)
            {
                await WriteGroupAsync(group).ConfigureAwait(false);
                Interlocked.Increment(ref _writesSinceCheckpoint);
                // Between groups nothing can be appended: the only moment a checkpoint can catch up with the writer. Its fsync
                // holds up what queues meanwhile, so it waits for a moment with no write queued, unless the log grows past twice its bound.
                if (_connection is not null)
                    await _wal.KeepAsync(_connection, idle: Volatile.Read(ref _queued) == 0).ConfigureAwait(false);
            }
        }
    }

    async Task WriteGroupAsync(List<PendingWrite> group)
    {
        PendingWrite? current = null;
        try
        {
            var connection = _connection ??= await OpenAsync(CancellationToken.None).ConfigureAwait(false);
            // BEGIN/COMMIT as statements: the prepared commands then need no transaction object of their own.
            var transaction = group.Count > 1 || group[0].Atomic;
            if (transaction)
                await ExecuteAsync(connection, "BEGIN IMMEDIATE").ConfigureAwait(false);
            foreach (var pending in group)
            {
                current = pending;
                await pending.RunAsync(connection).ConfigureAwait(false);
            }
            current = null;
            if (transaction)
                await ExecuteAsync(connection, "COMMIT").ConfigureAwait(false);
            foreach (var pending in group)
                pending.Succeed();
        }
        catch (Exception ex)
        {
            // Never reuse a connection that failed: closing it rolls the group back, and the next write opens a fresh one
            // (and prepares anew). The group's other writes were rolled back too: they fail as an outage, and are retried.
            await CloseAsync().ConfigureAwait(false);
            foreach (var pending in group)
            {
                pending.Fail(pending == current || ex is SqliteException
                    ? ex
                    : new SqliteException($"Rolled back with a write of the same transaction that failed ({ex.GetType().Name}).", 1));
            }
        }
    }

    static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    abstract class PendingWrite
    {
        public abstract CancellationToken CancellationToken { get; }

        public abstract bool Atomic { get; }

        public abstract Task RunAsync(SqliteConnection connection);

        public abstract void Succeed();

        public abstract void Fail(Exception exception);
    }

    sealed class PendingWrite<T>(Func<SqliteConnection, Task<T>> write, bool atomic, CancellationToken cancellationToken) : PendingWrite
    {
        readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T? _result;

        public Task<T> Task => _done.Task;

        public override CancellationToken CancellationToken => cancellationToken;

        public override bool Atomic => atomic;

        public override async Task RunAsync(SqliteConnection connection) => _result = await write(connection).ConfigureAwait(false);

        // Only once the group is committed: a write's caller never sees a result that could still be rolled back.
        public override void Succeed() => _done.TrySetResult(_result!);

        public override void Fail(Exception exception)
        {
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
                _done.TrySetCanceled(cancellationToken);
            else
                _done.TrySetException(exception);
        }
    }
}
