using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Provisioning.Storage;

/// <summary>
/// The embedded default: one SQLite file in WAL mode. A claim is one atomic statement, so concurrent deliveries in this
/// process, or in other processes on this host sharing the file, never both start. Writes run one at a time on one
/// connection, and those that queued up meanwhile run together in one transaction (group commit): under load one WAL
/// commit serves many claims and completes, and no write waits for a timer.
/// </summary>
internal sealed partial class SqliteRequestLedger : IRequestLedger, IRemovalCounter, IAsyncDisposable
{
    const int InProgress = 0;
    const int Succeeded = 1;
    const int Failed = 2;
    // Exhausted or held: ended for its member's order, claimable again by a replay or a release.
    const int SetAside = 3;
    // Unfinished, its delivery alive and waiting in process for its turn (or for its member to appear) under its lease:
    // unlike a parked request (InProgress without a live lease), the member's later commands wait for it in process.
    const int Waiting = 4;

    readonly string _connectionString;
    readonly TimeProvider _time;
    readonly SqliteWalBound _wal;

    // Writes grouped into one transaction at most.
    const int MaxGroup = 64;

    // One connection and one writer in this process: SQLite allows one writer anyway, its busy handler would make
    // waiting writers sleep in growing steps, and opening a connection per operation costs more than the operation.
    // Other processes sharing the file meet SQLite's own lock (busy_timeout).
    readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writer;
    // Writes queued and not yet taken by the writer (the single-reader channel cannot count them).
    int _queued;
    readonly Task _checkpointer;
    readonly CancellationTokenSource _stopping = new();
    SqliteConnection? _connection;
    long _writesSinceCheckpoint;
    SqliteCommand? _claim;
    SqliteCommand? _select;
    SqliteCommand? _complete;
    SqliteCommand? _number;
    SqliteCommand? _blocker;
    SqliteCommand? _version;
    SqliteCommand? _raise;

    public SqliteRequestLedger(IOptions<IdempotencyOptions> options, TimeProvider time)
    {
        var path = Path.GetFullPath(options.Value.SqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString();
        _time = time;
        _wal = new SqliteWalBound(path, options.Value.SqliteWalMegabytes);
        _writer = Task.Run(WriteLoopAsync);
        _checkpointer = Task.Run(CheckpointLoopAsync);
    }

    async Task CloseAsync()
    {
        foreach (var command in new[] { _claim, _select, _complete, _number, _blocker, _version, _raise })
        {
            if (command is not null)
                await command.DisposeAsync().ConfigureAwait(false);
        }
        _claim = _select = _complete = _number = _blocker = _version = _raise = null;
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        // Writes already queued still run; new ones are refused.
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _checkpointer.ConfigureAwait(false);
        _stopping.Dispose();
        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>A statement prepared once per connection: the hot paths (claim, complete) skip SQLite's parse and plan.</summary>
    static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i];
    }

    public Task PingAsync(CancellationToken cancellationToken) => WriteAsync(async connection =>
    {
        await using var ping = connection.CreateCommand();
        ping.CommandText = "SELECT 1";
        return await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, IdempotencyKey key)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$corp", key.CorpId);
        command.Parameters.AddWithValue("$request", key.RequestId.ToString("D"));
        return command;
    }
}
