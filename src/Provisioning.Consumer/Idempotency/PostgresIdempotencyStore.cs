using Microsoft.Extensions.Options;
using Npgsql;

namespace Provisioning.Consumer.Idempotency;

/// <summary>
/// PostgreSQL, for replicas on several hosts. A claim is one upsert: a new request is inserted, an in-progress one is
/// taken over only by its owner or once its lease has expired; anything else is read back as it stands.
/// Creates its table on first use.
/// </summary>
internal sealed class PostgresIdempotencyStore : IIdempotencyStore, IAsyncDisposable
{
    const short InProgress = 0;

    readonly NpgsqlDataSource _dataSource;
    readonly TimeProvider _time;
    readonly SemaphoreSlim _schemaGate = new(1, 1);
    volatile bool _schemaReady;

    public PostgresIdempotencyStore(IOptions<IdempotencyOptions> options, TimeProvider time)
    {
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString!);
        _time = time;
    }

    // Not a Lazy<Task>: a failure while PostgreSQL is down must not be remembered for ever.
    async Task EnsureSchemaAsync()
    {
        if (_schemaReady)
            return;
        await _schemaGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                await CreateSchemaAsync().ConfigureAwait(false);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    async Task CreateSchemaAsync()
    {
        await using var command = _dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS provisioning_idempotency (
                corp_id text NOT NULL,
                request_id uuid NOT NULL,
                user_id text NOT NULL,
                state smallint NOT NULL,
                owner text,
                lease_expires_at timestamptz NOT NULL,
                attempts integer NOT NULL,
                outcome_type text,
                outcome text,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (corp_id, request_id));
            CREATE INDEX IF NOT EXISTS provisioning_idempotency_ended ON provisioning_idempotency (updated_at) WHERE state <> 0;
            """);
        try
        {
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject)
        {
            // Another replica created it at the same moment.
        }
    }

    async Task<NpgsqlCommand> CommandAsync(string sql, IdempotencyKey key)
    {
        await EnsureSchemaAsync().ConfigureAwait(false);
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("corp", key.CorpId);
        command.Parameters.AddWithValue("request", key.RequestId);
        command.Parameters.AddWithValue("now", _time.GetUtcNow());
        return command;
    }

    public async Task<IdempotencyClaim> TryBeginAsync(IdempotencyKey key, string userId, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var claim = await CommandAsync("""
            INSERT INTO provisioning_idempotency AS t (corp_id, request_id, user_id, state, owner, lease_expires_at, attempts, created_at, updated_at)
            VALUES (@corp, @request, @user, 0, @owner, @lease, 1, @now, @now)
            ON CONFLICT (corp_id, request_id) DO UPDATE
                SET owner = @owner, lease_expires_at = @lease, attempts = t.attempts + 1, updated_at = @now
                WHERE t.state = 0 AND (t.owner = @owner OR t.owner IS NULL OR t.lease_expires_at <= @now)
            RETURNING t.attempts
            """, key).ConfigureAwait(false);
        claim.Parameters.AddWithValue("user", userId);
        claim.Parameters.AddWithValue("owner", owner);
        claim.Parameters.AddWithValue("lease", _time.GetUtcNow() + lease);
        if (await claim.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int attempts)
            return IdempotencyClaim.Started(attempts);

        await using var read = await CommandAsync(
            "SELECT state, lease_expires_at, outcome_type, outcome FROM provisioning_idempotency WHERE corp_id = @corp AND request_id = @request", key)
            .ConfigureAwait(false);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            // Purged between the two statements: extremely unlikely; the caller's retry claims it afresh.
            return IdempotencyClaim.Elsewhere(_time.GetUtcNow());
        return reader.GetInt16(0) == InProgress
            ? IdempotencyClaim.Elsewhere(reader.GetFieldValue<DateTimeOffset>(1))
            : IdempotencyClaim.Completed(new StoredOutcome(reader.GetString(2), reader.GetString(3)));
    }

    public async Task<bool> CompleteAsync(IdempotencyKey key, string owner, bool succeeded, StoredOutcome outcome, CancellationToken cancellationToken)
    {
        await using var update = await CommandAsync("""
            UPDATE provisioning_idempotency SET state = @state, outcome_type = @type, outcome = @outcome, owner = NULL, updated_at = @now
            WHERE corp_id = @corp AND request_id = @request AND state = 0 AND owner = @owner
            """, key).ConfigureAwait(false);
        update.Parameters.AddWithValue("state", (short)(succeeded ? 1 : 2));
        update.Parameters.AddWithValue("type", outcome.MessageType);
        update.Parameters.AddWithValue("outcome", outcome.Json);
        update.Parameters.AddWithValue("owner", owner);
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task ReleaseAsync(IdempotencyKey key, string owner, int extraAttempts, CancellationToken cancellationToken)
    {
        await using var update = await CommandAsync("""
            UPDATE provisioning_idempotency SET owner = NULL, lease_expires_at = @now, attempts = attempts + @extra, updated_at = @now
            WHERE corp_id = @corp AND request_id = @request AND state = 0 AND owner = @owner
            """, key).ConfigureAwait(false);
        update.Parameters.AddWithValue("owner", owner);
        update.Parameters.AddWithValue("extra", Math.Max(0, extraAttempts));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync().ConfigureAwait(false);
        var total = 0;
        while (true)
        {
            await using var delete = _dataSource.CreateCommand("""
                DELETE FROM provisioning_idempotency WHERE ctid IN (
                    SELECT ctid FROM provisioning_idempotency WHERE state <> 0 AND updated_at < @before LIMIT 1000)
                """);
            delete.Parameters.AddWithValue("before", endedBefore);
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < 1000)
                return total;
        }
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var ping = _dataSource.CreateCommand("SELECT 1");
        await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _schemaGate.Dispose();
    }
}
