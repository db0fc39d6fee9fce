using System.Data.Common;

namespace Provisioning.Storage.RequestLog;

internal sealed partial class RequestLogStore
{
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
                CREATE TABLE IF NOT EXISTS console_sessions_ended (
                    session_id TEXT PRIMARY KEY,
                    ended_at BIGINT NOT NULL);
                """, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }
}
