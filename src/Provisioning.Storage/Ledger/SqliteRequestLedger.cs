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
internal sealed class SqliteRequestLedger : IRequestLedger, IAsyncDisposable
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

    static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Copies the WAL into the database once a second when there were writes, on a connection of its own: a PASSIVE
    /// checkpoint never blocks the writer. Under steady writes it never copies everything, so the WAL never starts afresh
    /// by itself: the writer finishes the job between two groups once the WAL passes its bound (<see cref="SqliteWalBound"/>).
    /// </summary>
    async Task CheckpointLoopAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(CheckpointInterval, _time, _stopping.Token).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _writesSinceCheckpoint, 0) == 0)
                    continue;
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(_connectionString);
                        await connection.OpenAsync(_stopping.Token).ConfigureAwait(false);
                    }
                    await ExecuteAsync(connection, "PRAGMA wal_checkpoint(PASSIVE)").ConfigureAwait(false);
                }
                catch (SqliteException)
                {
                    // The next round tries again on a fresh connection; meanwhile the WAL only grows.
                    Interlocked.Increment(ref _writesSinceCheckpoint);
                    if (connection is not null)
                        await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
                await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // WAL with synchronous=NORMAL: durable across process crashes, one fsync per checkpoint instead of per commit.
        // Checkpoints run in the background (CheckpointLoopAsync), not in whichever write happens to fill the WAL: that
        // write's fsync held up every command behind it (a p99 of 100 ms at 100 commands a second). journal_size_limit:
        // once the WAL starts afresh, the file is cut back to its bound (SQLite otherwise keeps it at its largest).
        command.CommandText = $"""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA busy_timeout = 30000;
            PRAGMA wal_autocheckpoint = 0;
            PRAGMA journal_size_limit = {_wal.Bytes};
            CREATE TABLE IF NOT EXISTS idempotency (
                corp_id TEXT NOT NULL,
                request_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                state INTEGER NOT NULL,
                owner TEXT,
                lease_expires_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                outcome_type TEXT,
                outcome TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (corp_id, request_id));
            CREATE INDEX IF NOT EXISTS idempotency_ended ON idempotency (state, updated_at);
            CREATE TABLE IF NOT EXISTS member_revisions (
                corp_id TEXT NOT NULL,
                member TEXT NOT NULL,
                state_version INTEGER,
                profile_version INTEGER,
                state_sent_at INTEGER,
                profile_sent_at INTEGER,
                updated_at INTEGER,
                PRIMARY KEY (corp_id, member));
            CREATE TABLE IF NOT EXISTS removals (
                corp_id TEXT NOT NULL,
                request_id TEXT NOT NULL,
                admitted_at INTEGER NOT NULL,
                PRIMARY KEY (corp_id, request_id));
            CREATE INDEX IF NOT EXISTS removals_window ON removals (corp_id, admitted_at);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // Files from before member order: the two columns are added once (SQLite has no ADD COLUMN IF NOT EXISTS).
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('idempotency') WHERE name = 'member_seq'";
        if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
        {
            command.CommandText = "ALTER TABLE idempotency ADD COLUMN member TEXT; ALTER TABLE idempotency ADD COLUMN member_seq INTEGER;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        command.CommandText = "CREATE INDEX IF NOT EXISTS idempotency_member ON idempotency (corp_id, member, state, member_seq)";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // Files from before versions per aspect kept one last_version per member: it becomes both aspects' version (what it
        // guarded before), in the same transaction as the new columns.
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('member_revisions') WHERE name = 'state_version'";
        if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
        {
            command.CommandText = """
                BEGIN IMMEDIATE;
                ALTER TABLE member_revisions ADD COLUMN state_version INTEGER;
                ALTER TABLE member_revisions ADD COLUMN profile_version INTEGER;
                ALTER TABLE member_revisions ADD COLUMN updated_at INTEGER;
                UPDATE member_revisions SET state_version = last_version, profile_version = last_version;
                COMMIT;
                """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return connection;
    }

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

    public Task<IdempotencyClaim> TryBeginAsync(IdempotencyKey key, string userId, MemberRevision revision, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        WriteAsync(connection => TryBeginAsync(connection, key, userId, revision, owner, lease, cancellationToken), cancellationToken, atomic: true);

    async Task<IdempotencyClaim> TryBeginAsync(SqliteConnection connection, IdempotencyKey key, string userId, MemberRevision revision, string owner, TimeSpan lease,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var request = key.RequestId.ToString("D");
        // A new request is inserted, an unfinished one whose lease is ours or has run out is taken over (an exhausted one
        // too: a replay); either way the row comes back. No row: it has ended, or another delivery holds it.
        var claim = _claim ??= Prepare(connection, """
            INSERT INTO idempotency (corp_id, request_id, user_id, state, owner, lease_expires_at, attempts, created_at, updated_at)
            VALUES ($corp, $request, $user, 0, $owner, $lease, 1, $now, $now)
            ON CONFLICT (corp_id, request_id) DO UPDATE SET
                state = 0, owner = excluded.owner, lease_expires_at = excluded.lease_expires_at, attempts = attempts + 1, updated_at = excluded.updated_at
            WHERE state = 3 OR (state IN (0, 4) AND (owner = excluded.owner OR lease_expires_at <= excluded.updated_at))
            RETURNING attempts, member_seq
            """, "$corp", "$request", "$user", "$owner", "$lease", "$now");
        Bind(claim, key.CorpId, request, userId, owner, (now + (long)lease.TotalMilliseconds), now);
        int attempts;
        long? seq;
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                return await ReadEndedOrElsewhereAsync(connection, key, cancellationToken).ConfigureAwait(false);
            attempts = reader.GetInt32(0);
            seq = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        }

        var member = MemberKey(userId);
        if (seq is null)
        {
            // First arrival: the request's place in its member's order is when it was sent (else now), for good.
            seq = revision.Place(_time);
            var number = _number ??= Prepare(connection, """
                INSERT INTO member_revisions (corp_id, member, updated_at) VALUES ($corp, $member, $now) ON CONFLICT (corp_id, member) DO NOTHING;
                UPDATE idempotency SET member = $member, member_seq = $seq WHERE corp_id = $corp AND request_id = $request;
                """, "$corp", "$member", "$seq", "$request", "$now");
            Bind(number, key.CorpId, member, seq.Value, key.RequestId.ToString("D"), now);
            await number.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Blocked by an unfinished request of the member placed earlier, or by one running now whatever its place (not one
        // merely waiting: two that wait for each other would both end in the member-wait queue).
        var blocker = _blocker ??= Prepare(connection, """
            SELECT request_id, owner IS NOT NULL AND lease_expires_at > $now FROM idempotency
            WHERE corp_id = $corp AND member = $member AND state IN (0, 4) AND request_id <> $request
                AND (member_seq < $seq OR (state = 0 AND owner IS NOT NULL AND lease_expires_at > $now))
            ORDER BY member_seq LIMIT 1
            """, "$corp", "$member", "$seq", "$now", "$request");
        Bind(blocker, key.CorpId, member, seq.Value, now, key.RequestId.ToString("D"));
        await using (var reader = await blocker.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var blockedBy = Guid.Parse(reader.GetString(0));
                var running = reader.GetBoolean(1);
                await reader.DisposeAsync().ConfigureAwait(false);
                // Not this delivery's turn: waiting under its lease (a duplicate waits for it; the member's later commands
                // wait in process behind it), and no attempt counted.
                await using var undo = Command(connection, null, """
                    UPDATE idempotency SET state = 4, attempts = attempts - 1 WHERE corp_id = $corp AND request_id = $request
                    """, key);
                await undo.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return IdempotencyClaim.Waiting(blockedBy, running);
            }
        }

        if (revision.Version is not null || revision.SentAt is not null)
        {
            var last = _version ??= Prepare(connection,
                "SELECT state_version, profile_version, state_sent_at, profile_sent_at FROM member_revisions WHERE corp_id = $corp AND member = $member",
                "$corp", "$member");
            Bind(last, key.CorpId, member);
            await using var reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                return IdempotencyClaim.Started(attempts, new AppliedRevision(Int64(reader, 0), Int64(reader, 1), Ticks(reader, 2), Ticks(reader, 3)));
        }
        return IdempotencyClaim.Started(attempts);
    }

    async Task<IdempotencyClaim> ReadEndedOrElsewhereAsync(SqliteConnection connection, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var select = _select ??= Prepare(connection,
            "SELECT state, lease_expires_at, outcome_type, outcome FROM idempotency WHERE corp_id = $corp AND request_id = $request", "$corp", "$request");
        Bind(select, key.CorpId, key.RequestId.ToString("D"));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            // Purged between the two statements: extremely unlikely; the caller's retry claims it afresh.
            return IdempotencyClaim.Elsewhere(_time.GetUtcNow());
        return reader.GetInt32(0) is not (InProgress or Waiting)
            ? IdempotencyClaim.Completed(new StoredOutcome(reader.GetString(2), reader.GetString(3)))
            : IdempotencyClaim.Elsewhere(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }

    static long? Int64(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    static DateTimeOffset? Ticks(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);

    /// <summary>A member is its userid ignoring case, as WeCom compares userids.</summary>
    static string MemberKey(string userId) => userId.ToLowerInvariant();

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

    public Task<bool> CompleteAsync(IdempotencyKey key, string owner, bool succeeded, StoredOutcome outcome, MemberRevision? applied, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
    {
        var update = _complete ??= Prepare(connection, """
            UPDATE idempotency SET state = $state, outcome_type = $type, outcome = $outcome, owner = NULL, updated_at = $now
            WHERE corp_id = $corp AND request_id = $request AND state = 0 AND owner = $owner
            """, "$corp", "$request", "$state", "$type", "$outcome", "$owner", "$now");
        Bind(update, key.CorpId, key.RequestId.ToString("D"), succeeded ? Succeeded : Failed, outcome.MessageType, outcome.Json, owner,
            _time.GetUtcNow().ToUnixTimeMilliseconds());
        var completed = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (completed && succeeded && applied is not null && (applied.Version is not null || applied.SentAt is not null))
        {
            // Per aspect it set, never lowered: a command applied out of order (an equal revision, or one without a version)
            // keeps the newest.
            var raise = _raise ??= Prepare(connection, """
                UPDATE member_revisions SET
                    state_version = CASE WHEN $state_version IS NULL THEN state_version ELSE MAX(COALESCE(state_version, $state_version), $state_version) END,
                    profile_version = CASE WHEN $profile_version IS NULL THEN profile_version ELSE MAX(COALESCE(profile_version, $profile_version), $profile_version) END,
                    state_sent_at = CASE WHEN $state IS NULL THEN state_sent_at ELSE MAX(COALESCE(state_sent_at, $state), $state) END,
                    profile_sent_at = CASE WHEN $profile IS NULL THEN profile_sent_at ELSE MAX(COALESCE(profile_sent_at, $profile), $profile) END,
                    updated_at = $now
                WHERE corp_id = $corp AND member = (SELECT member FROM idempotency WHERE corp_id = $corp AND request_id = $request)
                """, "$corp", "$request", "$state_version", "$profile_version", "$state", "$profile", "$now");
            var state = applied.Aspects.HasFlag(MemberAspects.State);
            var profile = applied.Aspects.HasFlag(MemberAspects.Profile);
            Bind(raise, key.CorpId, key.RequestId.ToString("D"),
                (object?)(state ? applied.Version : null) ?? DBNull.Value,
                (object?)(profile ? applied.Version : null) ?? DBNull.Value,
                (object?)(state ? applied.SentAt?.UtcTicks : null) ?? DBNull.Value,
                (object?)(profile ? applied.SentAt?.UtcTicks : null) ?? DBNull.Value,
                _time.GetUtcNow().ToUnixTimeMilliseconds());
            await raise.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return completed;
    }, cancellationToken, atomic: applied is not null);

    public Task ReleaseAsync(IdempotencyKey key, string owner, int extraAttempts, ReleaseAs release, TimeSpan waitLease, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
    {
        var wait = release is ReleaseAs.Wait or ReleaseAs.WaitFromTheBack;
        await using var update = Command(connection, null, """
            UPDATE idempotency SET state = $state, owner = $keep, lease_expires_at = $lease, attempts = attempts + $extra, updated_at = $now,
                member_seq = COALESCE($place, member_seq)
            WHERE corp_id = $corp AND request_id = $request AND state IN (0, 4) AND owner = $owner
            """, key);
        update.Parameters.AddWithValue("$state", release == ReleaseAs.SetAside ? SetAside : wait ? Waiting : InProgress);
        update.Parameters.AddWithValue("$keep", wait ? owner : DBNull.Value);
        update.Parameters.AddWithValue("$lease", wait ? (_time.GetUtcNow() + waitLease).ToUnixTimeMilliseconds() : 0);
        update.Parameters.AddWithValue("$place", release is ReleaseAs.RetryFromTheBack or ReleaseAs.WaitFromTheBack ? _time.GetUtcNow().UtcTicks : DBNull.Value);
        update.Parameters.AddWithValue("$owner", owner);
        update.Parameters.AddWithValue("$extra", Math.Max(0, extraAttempts));
        update.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public Task<bool> TryAdmitRemovalAsync(IdempotencyKey key, int threshold, TimeSpan window, bool force, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var admit = Command(connection, null, """
            INSERT INTO removals (corp_id, request_id, admitted_at)
            SELECT $corp, $request, $now
            WHERE $force OR (SELECT COUNT(*) FROM removals WHERE corp_id = $corp AND admitted_at > $since) < $threshold
            ON CONFLICT (corp_id, request_id) DO NOTHING
            """, key);
        admit.Parameters.AddWithValue("$now", now);
        admit.Parameters.AddWithValue("$since", now - (long)window.TotalMilliseconds);
        admit.Parameters.AddWithValue("$threshold", threshold);
        admit.Parameters.AddWithValue("$force", force);
        if (await admit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            return true;
        await using var known = Command(connection, null, "SELECT 1 FROM removals WHERE corp_id = $corp AND request_id = $request", key);
        return await known.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }, cancellationToken, atomic: true);

    public Task PingAsync(CancellationToken cancellationToken) => WriteAsync(async connection =>
    {
        await using var ping = connection.CreateCommand();
        ping.CommandText = "SELECT 1";
        return await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public async Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            // In batches, each its own short write, so consumption is never held up for long.
            var deleted = await WriteAsync(async connection =>
            {
                await using var delete = connection.CreateCommand();
                delete.CommandText = """
                    DELETE FROM idempotency WHERE rowid IN (
                        SELECT rowid FROM idempotency WHERE state IN (1, 2, 3) AND updated_at < $before LIMIT 1000)
                    """;
                delete.Parameters.AddWithValue("$before", endedBefore.ToUnixTimeMilliseconds());
                return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < 1000)
            {
                await WriteAsync(async connection =>
                {
                    await using var removals = connection.CreateCommand();
                    removals.CommandText = "DELETE FROM removals WHERE admitted_at < $before";
                    removals.Parameters.AddWithValue("$before", endedBefore.ToUnixTimeMilliseconds());
                    return await removals.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
                return total + await PurgeMembersAsync(endedBefore, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Forgets what was applied to members last updated before <paramref name="before"/> (never, for rows from before
    /// updated_at) with no unfinished request: one window of rowids per write, so no write scans the whole table while
    /// commands wait behind it. A member's next command numbers it afresh.
    /// </summary>
    async Task<int> PurgeMembersAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var total = 0;
        long? after = 0;
        while (after is not null)
        {
            (var deleted, after) = await WriteAsync(async connection =>
            {
                await using var window = connection.CreateCommand();
                window.CommandText = "SELECT MAX(rowid) FROM (SELECT rowid FROM member_revisions WHERE rowid > $after ORDER BY rowid LIMIT 1000)";
                window.Parameters.AddWithValue("$after", after);
                if (await window.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long upTo)
                    return (0, (long?)null);
                await using var delete = connection.CreateCommand();
                delete.CommandText = """
                    DELETE FROM member_revisions WHERE rowid IN (
                        SELECT m.rowid FROM member_revisions m
                        WHERE m.rowid > $after AND m.rowid <= $upTo AND COALESCE(m.updated_at, 0) < $before
                            AND NOT EXISTS (SELECT 1 FROM idempotency i WHERE i.corp_id = m.corp_id AND i.member = m.member AND i.state IN (0, 4)))
                    """;
                delete.Parameters.AddWithValue("$after", after);
                delete.Parameters.AddWithValue("$upTo", upTo);
                delete.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
                return (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), (long?)upTo);
            }, cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        return total;
    }

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
