using Microsoft.Data.Sqlite;

namespace Provisioning.Storage;

internal sealed partial class SqliteRequestLedger
{
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
}
