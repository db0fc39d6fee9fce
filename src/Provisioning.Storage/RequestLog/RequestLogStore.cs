using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Provisioning.Storage.RequestLog;

/// <summary>
/// The provisioning log's tables, in SQLite or PostgreSQL with the same SQL: times are Unix milliseconds (BIGINT) and
/// ids text in both, so only the schema's auto-increment differs. A request is one row, updated as it goes; each step
/// is a row of its own; the audit log sits beside them.
/// </summary>
internal sealed class RequestLogStore : IAsyncDisposable
{
    readonly Func<DbConnection> _connect;
    readonly bool _postgres;
    readonly SemaphoreSlim _schemaGate = new(1, 1);
    volatile bool _schemaReady;

    readonly IAsyncDisposable? _dataSource;

    RequestLogStore(Func<DbConnection> connect, bool postgres, IAsyncDisposable? dataSource = null)
    {
        _connect = connect;
        _postgres = postgres;
        _dataSource = dataSource;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        _schemaGate.Dispose();
    }

    public static RequestLogStore Sqlite(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = full, DefaultTimeout = 30 }.ToString();
        return new RequestLogStore(() => new SqliteConnection(connectionString), postgres: false);
    }

    public static RequestLogStore Postgres(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        return new RequestLogStore(dataSource.CreateConnection, postgres: true, dataSource);
    }

    async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _connect();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_schemaReady)
                await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
                return;
            var id = _postgres ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
            // Several replicas may start at once: PostgreSQL's CREATE … IF NOT EXISTS can still collide, so one at a time.
            var prelude = _postgres ? "SELECT pg_advisory_xact_lock(7361001);" : "";
            if (!_postgres)
            {
                // Readers (the console) never wait for the writer; outside a transaction, as SQLite requires.
                await using var wal = Command(connection, null, "PRAGMA journal_mode=WAL");
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, prelude + $"""
                CREATE TABLE IF NOT EXISTS request_log (
                    request_id TEXT PRIMARY KEY,
                    corp_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    operation TEXT NOT NULL,
                    status TEXT NOT NULL,
                    received_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    ended_at BIGINT NULL,
                    deliveries INTEGER NOT NULL,
                    attempts INTEGER NOT NULL,
                    parking_tier INTEGER NOT NULL,
                    dead_lettered_at BIGINT NULL,
                    outcome TEXT NULL,
                    reason TEXT NULL,
                    errcode INTEGER NULL,
                    message TEXT NULL,
                    name TEXT NULL,
                    mobile TEXT NULL,
                    email TEXT NULL);
                CREATE INDEX IF NOT EXISTS request_log_member ON request_log (corp_id, user_id);
                CREATE INDEX IF NOT EXISTS request_log_received ON request_log (received_at);
                CREATE INDEX IF NOT EXISTS request_log_updated ON request_log (updated_at);
                CREATE INDEX IF NOT EXISTS request_log_ended ON request_log (ended_at);
                CREATE TABLE IF NOT EXISTS request_log_steps (
                    id {id},
                    request_id TEXT NOT NULL,
                    at BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    detail TEXT NULL);
                CREATE INDEX IF NOT EXISTS request_log_steps_request ON request_log_steps (request_id);
                CREATE TABLE IF NOT EXISTS request_log_audit (
                    id {id},
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    role TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    result TEXT NOT NULL,
                    remote TEXT NULL);
                CREATE INDEX IF NOT EXISTS request_log_audit_at ON request_log_audit (at);
                """, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    // A request that has ended keeps its outcome: a later duplicate delivery (answered from the idempotency store) only
    // counts as a delivery. Anything else moves it to the step's status.
    const string KeepEnded = "CASE WHEN request_log.status IN ('succeeded', 'failed') THEN request_log.status ELSE excluded.status END";

    const string Insert = """
        INSERT INTO request_log (request_id, corp_id, user_id, operation, status, received_at, updated_at, ended_at, deliveries, attempts,
            parking_tier, dead_lettered_at, outcome, reason, errcode, message, name, mobile, email)
        VALUES (@id, @corp, @user, @operation, @status, @at, @at, @ended, @deliveries, @attempts, @tier, @deadLettered, @outcome, @reason,
            @errcode, @message, @name, @mobile, @email)
        ON CONFLICT (request_id) DO UPDATE SET updated_at = excluded.updated_at,
        """;

    static readonly Dictionary<string, string> Upserts = new(StringComparer.Ordinal)
    {
        [RequestEventKinds.Received] = Insert + $"""
             deliveries = request_log.deliveries + 1, status = {KeepEnded},
             name = COALESCE(excluded.name, request_log.name), mobile = COALESCE(excluded.mobile, request_log.mobile),
             email = COALESCE(excluded.email, request_log.email)
            """,
        [RequestEventKinds.Waiting] = Insert + $" status = {KeepEnded}",
        [RequestEventKinds.Held] = Insert + $" status = {KeepEnded}",
        [RequestEventKinds.Parked] = Insert + $"""
             status = {KeepEnded},
             parking_tier = CASE WHEN excluded.parking_tier > request_log.parking_tier THEN excluded.parking_tier ELSE request_log.parking_tier END,
             attempts = CASE WHEN excluded.attempts > request_log.attempts THEN excluded.attempts ELSE request_log.attempts END,
             message = excluded.message
            """,
        [RequestEventKinds.Duplicate] = Insert + " status = request_log.status",
        [RequestEventKinds.Succeeded] = Insert + Ended,
        [RequestEventKinds.Failed] = Insert + Ended,
        [RequestEventKinds.DeadLettered] = Insert + Ended + ", dead_lettered_at = excluded.dead_lettered_at",
    };

    const string Ended = """
         status = excluded.status, ended_at = excluded.ended_at, outcome = excluded.outcome, reason = excluded.reason,
         errcode = excluded.errcode, message = excluded.message,
         attempts = CASE WHEN excluded.attempts > request_log.attempts THEN excluded.attempts ELSE request_log.attempts END
        """;

    static string StatusOf(string kind) => kind switch
    {
        RequestEventKinds.Waiting => RequestStatuses.Waiting,
        RequestEventKinds.Parked => RequestStatuses.Parked,
        RequestEventKinds.Held => RequestStatuses.Held,
        RequestEventKinds.DeadLettered => RequestStatuses.DeadLettered,
        RequestEventKinds.Succeeded => RequestStatuses.Succeeded,
        RequestEventKinds.Failed => RequestStatuses.Failed,
        _ => RequestStatuses.InProgress,
    };

    static readonly string[] UpsertParameters =
        ["id", "corp", "user", "operation", "status", "at", "ended", "deliveries", "attempts", "tier", "deadLettered", "outcome", "reason", "errcode",
            "message", "name", "mobile", "email"];

    /// <summary>
    /// Writes the steps in one transaction, in their order. Each statement is prepared once per batch and run with new
    /// values for every step (most of the cost of a step was parsing its SQL again).
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<RequestEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var upserts = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        var insert = Command(connection, transaction, "INSERT INTO request_log_steps (request_id, at, kind, detail) VALUES (@id, @at, @kind, @detail)");
        try
        {
            Add(insert, "id", (string?)null);
            Add(insert, "at", (long?)null);
            Add(insert, "kind", (string?)null);
            Add(insert, "detail", (string?)null);
            foreach (var step in events)
            {
                if (!upserts.TryGetValue(step.Kind, out var upsert))
                {
                    upsert = Command(connection, transaction, Upserts[step.Kind]);
                    foreach (var name in UpsertParameters)
                        Add(upsert, name, null, name is "at" or "ended" or "deadLettered" ? DbType.Int64 : name is "deliveries" or "attempts" or "tier" or "errcode" ? DbType.Int32 : DbType.String);
                    upserts[step.Kind] = upsert;
                }
                var at = step.At.ToUnixTimeMilliseconds();
                var ended = step.Kind is RequestEventKinds.Succeeded or RequestEventKinds.Failed or RequestEventKinds.DeadLettered;
                Set(upsert, 0, step.RequestId.ToString());
                Set(upsert, 1, step.CorpId);
                Set(upsert, 2, step.UserId);
                Set(upsert, 3, step.Operation);
                Set(upsert, 4, StatusOf(step.Kind));
                Set(upsert, 5, at);
                Set(upsert, 6, ended ? at : null);
                Set(upsert, 7, step.Kind == RequestEventKinds.Received ? 1 : 0);
                Set(upsert, 8, step.Attempts ?? 0);
                Set(upsert, 9, step.Tier ?? 0);
                Set(upsert, 10, step.Kind == RequestEventKinds.DeadLettered ? at : null);
                Set(upsert, 11, step.Outcome);
                Set(upsert, 12, step.Reason);
                Set(upsert, 13, step.ErrCode);
                Set(upsert, 14, step.Detail);
                Set(upsert, 15, step.Person?.Name);
                Set(upsert, 16, step.Person?.MaskedMobile);
                Set(upsert, 17, step.Person?.MaskedEmail);
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                Set(insert, 0, step.RequestId.ToString());
                Set(insert, 1, at);
                Set(insert, 2, step.Kind);
                Set(insert, 3, step.Detail);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await insert.DisposeAsync().ConfigureAwait(false);
            foreach (var upsert in upserts.Values)
                await upsert.DisposeAsync().ConfigureAwait(false);
        }
    }

    static void Set(DbCommand command, int index, object? value) => command.Parameters[index].Value = value ?? DBNull.Value;

    const string Columns = """
        request_id, corp_id, user_id, operation, status, received_at, updated_at, ended_at, deliveries, attempts, parking_tier,
        dead_lettered_at, outcome, reason, errcode, message, name, mobile, email
        """;

    public async Task<RequestDetail?> GetAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        RequestEntry? entry;
        await using (var select = Command(connection, null, $"SELECT {Columns} FROM request_log WHERE request_id = @id"))
        {
            Add(select, "id", requestId.ToString());
            entry = (await ReadEntriesAsync(select, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }
        if (entry is null)
            return null;
        await using var steps = Command(connection, null, "SELECT at, kind, detail FROM request_log_steps WHERE request_id = @id ORDER BY at, id");
        Add(steps, "id", requestId.ToString());
        var list = new List<RequestStep>();
        await using var reader = await steps.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new RequestStep(Time(reader.GetInt64(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return new RequestDetail(entry, list);
    }

    /// <summary>Every request for one person (userid ignoring case, in one enterprise or all), newest first.</summary>
    public async Task<IReadOnlyList<RequestEntry>> HistoryAsync(string? corpId, string userId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, $"""
            SELECT {Columns} FROM request_log WHERE lower(user_id) = @user AND (@corp IS NULL OR corp_id = @corp)
            ORDER BY received_at DESC, request_id LIMIT @limit
            """);
        Add(select, "user", userId.ToLowerInvariant());
        Add(select, "corp", string.IsNullOrEmpty(corpId) ? null : corpId);
        Add(select, "limit", (int?)limit);
        return await ReadEntriesAsync(select, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RequestPage> ListAsync(RequestQuery query, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, RequestQuery.MaxPageSize);
        var page = Math.Max(query.Page, 1);
        const string Where = """
            WHERE (@corp IS NULL OR corp_id = @corp) AND (@status IS NULL OR status = @status) AND (@reason IS NULL OR reason = @reason)
              AND (@errcode IS NULL OR errcode = @errcode) AND (@from IS NULL OR received_at >= @from) AND (@to IS NULL OR received_at < @to)
              AND (@prefix IS NULL OR lower(user_id) LIKE @prefix ESCAPE '\') AND (@operation IS NULL OR operation = @operation)
            """;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var count = Command(connection, null, "SELECT COUNT(*) FROM request_log " + Where);
        await using var select = Command(connection, null, $"SELECT {Columns} FROM request_log {Where} ORDER BY received_at DESC, request_id LIMIT @limit OFFSET @offset");
        foreach (var command in new[] { count, select })
        {
            Add(command, "corp", Empty(query.CorpId));
            Add(command, "status", Empty(query.Status));
            Add(command, "reason", Empty(query.Reason));
            Add(command, "errcode", query.ErrCode);
            Add(command, "from", query.From?.ToUnixTimeMilliseconds());
            Add(command, "to", query.To?.ToUnixTimeMilliseconds());
            Add(command, "prefix", Empty(query.UserIdPrefix) is { } prefix
                ? prefix.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"
                : null);
            Add(command, "operation", Empty(query.Operation));
        }
        Add(select, "limit", (int?)pageSize);
        Add(select, "offset", (long?)((long)(page - 1) * pageSize));
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return new RequestPage(await ReadEntriesAsync(select, cancellationToken).ConfigureAwait(false), page, pageSize, total);
    }

    /// <summary>Failed and dead-lettered requests by reason, per bucket of <paramref name="bucket"/>, that ended in [from, to).</summary>
    public async Task<IReadOnlyList<FailureCount>> FailuresAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, string? corpId,
        CancellationToken cancellationToken)
    {
        var size = (long)bucket.TotalMilliseconds;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, """
            SELECT (ended_at / @size) * @size AS bucket, reason, COUNT(*) FROM request_log
            WHERE status IN ('failed', 'dead_lettered') AND ended_at >= @from AND ended_at < @to AND (@corp IS NULL OR corp_id = @corp)
            GROUP BY 1, 2 ORDER BY 1, 2
            """);
        Add(select, "size", (long?)size);
        Add(select, "from", from.ToUnixTimeMilliseconds());
        Add(select, "to", to.ToUnixTimeMilliseconds());
        Add(select, "corp", Empty(corpId));
        var counts = new List<FailureCount>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            counts.Add(new FailureCount(Time(reader.GetInt64(0)), reader.IsDBNull(1) ? "?" : reader.GetString(1), reader.GetInt64(2)));
        return counts;
    }

    /// <summary>Per enterprise: requests that ended since <paramref name="since"/> and the WeCom calls they made.</summary>
    public async Task<IReadOnlyDictionary<string, (long Ended, long Calls)>> RecentUseAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, "SELECT corp_id, COUNT(*), SUM(attempts) FROM request_log WHERE ended_at >= @since GROUP BY corp_id");
        Add(select, "since", since.ToUnixTimeMilliseconds());
        var use = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            use[reader.GetString(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? 0 : Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture));
        return use;
    }

    public async Task AuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = Command(connection, null,
            "INSERT INTO request_log_audit (at, actor, role, action, target, result, remote) VALUES (@at, @actor, @role, @action, @target, @result, @remote)");
        Add(insert, "at", entry.At.ToUnixTimeMilliseconds());
        Add(insert, "actor", entry.Actor);
        Add(insert, "role", entry.Role);
        Add(insert, "action", entry.Action);
        Add(insert, "target", entry.Target);
        Add(insert, "result", entry.Result);
        Add(insert, "remote", entry.Remote);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null,
            "SELECT at, actor, role, action, target, result, remote FROM request_log_audit ORDER BY at DESC, id DESC LIMIT @limit");
        Add(select, "limit", (int?)limit);
        var entries = new List<AuditEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return entries;
    }

    /// <summary>Deletes requests (with their steps) unchanged since <paramref name="before"/>, and older audit lines.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var steps = Command(connection, transaction,
            "DELETE FROM request_log_steps WHERE request_id IN (SELECT request_id FROM request_log WHERE updated_at < @before)");
        Add(steps, "before", before.ToUnixTimeMilliseconds());
        await steps.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var requests = Command(connection, transaction, "DELETE FROM request_log WHERE updated_at < @before");
        Add(requests, "before", before.ToUnixTimeMilliseconds());
        var deleted = await requests.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var audit = Command(connection, transaction, "DELETE FROM request_log_audit WHERE at < @before");
        Add(audit, "before", before.ToUnixTimeMilliseconds());
        await audit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Whether the store answers (for readiness).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, "SELECT 1");
        await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    static async Task<List<RequestEntry>> ReadEntriesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<RequestEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new RequestEntry
            {
                RequestId = Guid.Parse(reader.GetString(0)),
                CorpId = reader.GetString(1),
                UserId = reader.GetString(2),
                Operation = reader.GetString(3),
                Status = reader.GetString(4),
                ReceivedAt = Time(reader.GetInt64(5)),
                UpdatedAt = Time(reader.GetInt64(6)),
                EndedAt = reader.IsDBNull(7) ? null : Time(reader.GetInt64(7)),
                Deliveries = reader.GetInt32(8),
                Attempts = reader.GetInt32(9),
                ParkingTier = reader.GetInt32(10),
                DeadLetteredAt = reader.IsDBNull(11) ? null : Time(reader.GetInt64(11)),
                Outcome = Text(reader, 12),
                Reason = Text(reader, 13),
                ErrCode = reader.IsDBNull(14) ? null : reader.GetInt32(14),
                Message = Text(reader, 15),
                Name = Text(reader, 16),
                Mobile = Text(reader, 17),
                Email = Text(reader, 18),
            });
        }
        return entries;
    }

    static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Typed even when null: PostgreSQL must know a parameter's type in "@x IS NULL OR …" and for a NULL into a BIGINT.
    static void Add(DbCommand command, string name, string? value) => Add(command, name, value, DbType.String);

    static void Add(DbCommand command, string name, long? value) => Add(command, name, value, DbType.Int64);

    static void Add(DbCommand command, string name, int? value) => Add(command, name, value, DbType.Int32);

    static void Add(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
