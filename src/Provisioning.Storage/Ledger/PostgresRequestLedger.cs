using Microsoft.Extensions.Options;
using Npgsql;

namespace Provisioning.Storage;

/// <summary>
/// PostgreSQL, for replicas on several hosts. A claim is one upsert: a new request is inserted, an in-progress one is
/// taken over only by its owner or once its lease has expired; anything else is read back as it stands.
/// Creates its table on first use.
/// </summary>
internal sealed class PostgresRequestLedger : IRequestLedger, IRemovalCounter, IAsyncDisposable
{
    const short InProgress = 0;
    const short SetAside = 3;
    // Unfinished, its delivery alive and waiting in process for its turn (or its member) under its lease; see SqliteRequestLedger.
    const short Waiting = 4;

    readonly NpgsqlDataSource _dataSource;
    readonly TimeProvider _time;
    readonly SemaphoreSlim _schemaGate = new(1, 1);
    volatile bool _schemaReady;

    public PostgresRequestLedger(IOptions<IdempotencyOptions> options, TimeProvider time)
    {
        _dataSource = NpgsqlDataSource.Create(WithDefaults(options.Value.ConnectionString!));
        _time = time;
    }

    /// <summary>Connections per replica unless the connection string says otherwise (Npgsql's own default is 100).</summary>
    internal const int DefaultMaxPoolSize = 20;

    /// <summary>Statements kept prepared per connection unless the connection string says otherwise (Npgsql's default: none).</summary>
    internal const int DefaultMaxAutoPrepare = 16;

    /// <summary>
    /// The connection string with a smaller pool and auto-prepared statements, where it leaves them unset. A burst of
    /// commands (up to 256 in flight) otherwise opened up to 100 connections: each new server process parses and plans
    /// the claim's statement with cold caches, on the cores the consumer needs (the lifecycle burst took 2-4 s instead of
    /// well under one), and two replicas could take all of PostgreSQL's default 100 connections. A claim holds its
    /// connection for one round trip, so 20 serve far more commands than the CPU allows; prepared, the claim is planned
    /// once per connection, not once per command.
    /// </summary>
    internal static string WithDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Given(given, "Maximum Pool Size", "MaxPoolSize"))
            builder.MaxPoolSize = Math.Max(DefaultMaxPoolSize, builder.MinPoolSize);
        if (!Given(given, "Max Auto Prepare", "MaxAutoPrepare"))
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        return builder.ConnectionString;

        static bool Given(System.Data.Common.DbConnectionStringBuilder given, params string[] names) =>
            given.Keys.Cast<string>().Any(key => names.Any(name => string.Equals(key.Replace(" ", "", StringComparison.Ordinal),
                name.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)));
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
            ALTER TABLE provisioning_idempotency ADD COLUMN IF NOT EXISTS member text;
            ALTER TABLE provisioning_idempotency ADD COLUMN IF NOT EXISTS member_seq bigint;
            CREATE INDEX IF NOT EXISTS provisioning_idempotency_unfinished ON provisioning_idempotency (corp_id, member, member_seq) WHERE state IN (0, 4);
            DROP INDEX IF EXISTS provisioning_idempotency_member;
            CREATE TABLE IF NOT EXISTS provisioning_member_revisions (
                corp_id text NOT NULL,
                member text NOT NULL,
                last_version bigint,
                state_sent_at timestamptz,
                profile_sent_at timestamptz,
                PRIMARY KEY (corp_id, member));
            -- Versions per aspect: a schema from before kept one last_version per member, which becomes both aspects'
            -- version (what it guarded before) and is cleared, so running this again changes nothing.
            ALTER TABLE provisioning_member_revisions ADD COLUMN IF NOT EXISTS state_version bigint;
            ALTER TABLE provisioning_member_revisions ADD COLUMN IF NOT EXISTS profile_version bigint;
            ALTER TABLE provisioning_member_revisions ADD COLUMN IF NOT EXISTS updated_at timestamptz;
            UPDATE provisioning_member_revisions SET state_version = COALESCE(state_version, last_version),
                profile_version = COALESCE(profile_version, last_version), last_version = NULL WHERE last_version IS NOT NULL;
            CREATE TABLE IF NOT EXISTS provisioning_removals (
                corp_id text NOT NULL,
                request_id uuid NOT NULL,
                admitted_at timestamptz NOT NULL,
                PRIMARY KEY (corp_id, request_id));
            CREATE INDEX IF NOT EXISTS provisioning_removals_window ON provisioning_removals (corp_id, admitted_at);
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

    /// <summary>
    /// One round trip: a batch of two statements in one implicit transaction. The first locks the member's row until
    /// commit, so every claim of one member's requests runs one after another across replicas; the second, with a snapshot
    /// taken once that lock is held, reads the request, finds an earlier unfinished request of the member (or one running
    /// now), claims the request (waiting, without an attempt, when blocked) and reads what was applied to the member.
    /// </summary>
    public async Task<IdempotencyClaim> TryBeginAsync(IdempotencyKey key, string userId, MemberRevision revision, string owner, TimeSpan lease,
        CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync().ConfigureAwait(false);
        var now = _time.GetUtcNow();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        var lockMember = new NpgsqlBatchCommand("""
            INSERT INTO provisioning_member_revisions (corp_id, member, updated_at) VALUES (@corp, @member, @now)
            ON CONFLICT (corp_id, member) DO UPDATE SET member = excluded.member
            """);
        var claim = new NpgsqlBatchCommand(ClaimSql);
        foreach (var command in new[] { lockMember, claim })
        {
            command.Parameters.AddWithValue("corp", key.CorpId);
            command.Parameters.AddWithValue("member", userId.ToLowerInvariant());
            command.Parameters.AddWithValue("now", now);
            batch.BatchCommands.Add(command);
        }
        claim.Parameters.AddWithValue("request", key.RequestId);
        claim.Parameters.AddWithValue("user", userId);
        claim.Parameters.AddWithValue("owner", owner);
        claim.Parameters.AddWithValue("lease", now + lease);
        // First arrival: the request's place in its member's order is when it was sent (else now), for good.
        claim.Parameters.AddWithValue("place", revision.Place(_time));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (reader.IsDBNull(0))
        {
            // Not claimed: it ended, or another delivery holds it (or it was purged in between: the caller's retry claims it afresh).
            return reader.IsDBNull(1) ? IdempotencyClaim.Elsewhere(now)
                : reader.GetInt16(1) is InProgress or Waiting ? IdempotencyClaim.Elsewhere(reader.GetFieldValue<DateTimeOffset>(2))
                : IdempotencyClaim.Completed(new StoredOutcome(reader.GetString(3), reader.GetString(4)));
        }
        if (!reader.IsDBNull(5))
            return IdempotencyClaim.Waiting(reader.GetGuid(5), reader.GetBoolean(6));
        var attempts = reader.GetInt32(0);
        if (revision.Version is null && revision.SentAt is null)
            return IdempotencyClaim.Started(attempts);
        return IdempotencyClaim.Started(attempts, new AppliedRevision(
            reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetInt64(8),
            reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
    }

    // A new request is inserted, an unfinished one whose lease is ours or has run out (or a parked one) is taken over, an
    // exhausted one too (a replay); blocked by an unfinished request of the member placed earlier, or by one running now
    // whatever its place (not one merely waiting: two that wait for each other would both end in the member-wait queue),
    // it is marked waiting under this delivery's lease, without an attempt. The columns: the claim (attempts), the request
    // as it stood (state, lease, outcome), the blocker (request, running), what was applied to the member.
    const string ClaimSql = """
        WITH existing AS (
            SELECT state, lease_expires_at, outcome_type, outcome, member_seq FROM provisioning_idempotency
            WHERE corp_id = @corp AND request_id = @request),
        blocker AS (
            SELECT i.request_id, i.owner IS NOT NULL AND i.lease_expires_at > @now AS running FROM provisioning_idempotency i
            WHERE i.corp_id = @corp AND i.member = @member AND i.state IN (0, 4) AND i.request_id <> @request
                AND (i.member_seq < COALESCE((SELECT member_seq FROM existing), @place)
                    OR (i.state = 0 AND i.owner IS NOT NULL AND i.lease_expires_at > @now))
            ORDER BY i.member_seq LIMIT 1),
        claim AS (
            INSERT INTO provisioning_idempotency AS t
                (corp_id, request_id, user_id, state, owner, lease_expires_at, attempts, created_at, updated_at, member, member_seq)
            SELECT @corp, @request, @user, CASE WHEN blocked THEN 4 ELSE 0 END, @owner, @lease, CASE WHEN blocked THEN 0 ELSE 1 END,
                @now, @now, @member, @place
            FROM (SELECT EXISTS (SELECT 1 FROM blocker) AS blocked) b
            ON CONFLICT (corp_id, request_id) DO UPDATE
                SET state = excluded.state, owner = excluded.owner, lease_expires_at = excluded.lease_expires_at,
                    attempts = t.attempts + excluded.attempts, updated_at = excluded.updated_at,
                    member = COALESCE(t.member, excluded.member), member_seq = COALESCE(t.member_seq, excluded.member_seq)
                WHERE t.state = 3 OR (t.state IN (0, 4) AND (t.owner = excluded.owner OR t.owner IS NULL OR t.lease_expires_at <= excluded.updated_at))
            RETURNING t.attempts)
        SELECT c.attempts, e.state, e.lease_expires_at, e.outcome_type, e.outcome, k.request_id, k.running,
            r.state_version, r.profile_version, r.state_sent_at, r.profile_sent_at
        FROM (SELECT 1) one
            LEFT JOIN claim c ON true LEFT JOIN existing e ON true LEFT JOIN blocker k ON true
            LEFT JOIN provisioning_member_revisions r ON r.corp_id = @corp AND r.member = @member
        """;

    NpgsqlCommand Command(NpgsqlConnection connection, string sql, IdempotencyKey key)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("corp", key.CorpId);
        command.Parameters.AddWithValue("request", key.RequestId);
        command.Parameters.AddWithValue("now", _time.GetUtcNow());
        return command;
    }

    public async Task<bool> CompleteAsync(IdempotencyKey key, string owner, bool succeeded, StoredOutcome outcome, MemberRevision? applied, CancellationToken cancellationToken)
    {
        // One statement: the outcome and, for a versioned success, the member's last applied version.
        await using var update = await CommandAsync("""
            WITH done AS (
                UPDATE provisioning_idempotency SET state = @state, outcome_type = @type, outcome = @outcome, owner = NULL, updated_at = @now
                WHERE corp_id = @corp AND request_id = @request AND state = 0 AND owner = @owner
                RETURNING member),
            raised AS (
                UPDATE provisioning_member_revisions m SET
                    state_version = CASE WHEN @state_version IS NULL THEN m.state_version ELSE GREATEST(COALESCE(m.state_version, @state_version), @state_version) END,
                    profile_version = CASE WHEN @profile_version IS NULL THEN m.profile_version ELSE GREATEST(COALESCE(m.profile_version, @profile_version), @profile_version) END,
                    updated_at = @now,
                    state_sent_at = CASE WHEN @state_sent IS NULL THEN m.state_sent_at ELSE GREATEST(COALESCE(m.state_sent_at, @state_sent), @state_sent) END,
                    profile_sent_at = CASE WHEN @profile_sent IS NULL THEN m.profile_sent_at ELSE GREATEST(COALESCE(m.profile_sent_at, @profile_sent), @profile_sent) END
                FROM done WHERE m.corp_id = @corp AND m.member = done.member)
            SELECT COUNT(*) FROM done
            """, key).ConfigureAwait(false);
        update.Parameters.AddWithValue("state", (short)(succeeded ? 1 : 2));
        update.Parameters.AddWithValue("type", outcome.MessageType);
        update.Parameters.AddWithValue("outcome", outcome.Json);
        update.Parameters.AddWithValue("owner", owner);
        var version = succeeded ? applied?.Version : null;
        update.Parameters.Add(new NpgsqlParameter("state_version", NpgsqlTypes.NpgsqlDbType.Bigint)
            { Value = (applied?.Aspects.HasFlag(MemberAspects.State) == true ? version : null) ?? (object)DBNull.Value });
        update.Parameters.Add(new NpgsqlParameter("profile_version", NpgsqlTypes.NpgsqlDbType.Bigint)
            { Value = (applied?.Aspects.HasFlag(MemberAspects.Profile) == true ? version : null) ?? (object)DBNull.Value });
        var sent = succeeded ? applied?.SentAt : null;
        update.Parameters.Add(new NpgsqlParameter("state_sent", NpgsqlTypes.NpgsqlDbType.TimestampTz)
            { Value = (applied?.Aspects.HasFlag(MemberAspects.State) == true ? sent : null) ?? (object)DBNull.Value });
        update.Parameters.Add(new NpgsqlParameter("profile_sent", NpgsqlTypes.NpgsqlDbType.TimestampTz)
            { Value = (applied?.Aspects.HasFlag(MemberAspects.Profile) == true ? sent : null) ?? (object)DBNull.Value });
        return (long)(await update.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1;
    }

    public async Task ReleaseAsync(IdempotencyKey key, string owner, int extraAttempts, ReleaseAs release, TimeSpan waitLease, CancellationToken cancellationToken)
    {
        var wait = release is ReleaseAs.Wait or ReleaseAs.WaitFromTheBack;
        await using var update = await CommandAsync("""
            UPDATE provisioning_idempotency SET state = @state, owner = @keep, lease_expires_at = @lease, attempts = attempts + @extra, updated_at = @now,
                member_seq = COALESCE(@place, member_seq)
            WHERE corp_id = @corp AND request_id = @request AND state IN (0, 4) AND owner = @owner
            """, key).ConfigureAwait(false);
        update.Parameters.AddWithValue("state", release == ReleaseAs.SetAside ? SetAside : wait ? Waiting : InProgress);
        update.Parameters.Add(new NpgsqlParameter<string?>("keep", wait ? owner : null));
        update.Parameters.AddWithValue("lease", wait ? _time.GetUtcNow() + waitLease : _time.GetUtcNow());
        update.Parameters.Add(new NpgsqlParameter<long?>("place", release is ReleaseAs.RetryFromTheBack or ReleaseAs.WaitFromTheBack ? _time.GetUtcNow().UtcTicks : null));
        update.Parameters.AddWithValue("owner", owner);
        update.Parameters.AddWithValue("extra", Math.Max(0, extraAttempts));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryAdmitRemovalAsync(IdempotencyKey key, int threshold, TimeSpan window, bool force, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync().ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // One enterprise's admissions one at a time across replicas, so the count and the insert see each other.
        await using (var gate = Command(connection, "SELECT pg_advisory_xact_lock(hashtext('provisioning_removals:' || @corp))", key))
            await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var admit = Command(connection, """
            INSERT INTO provisioning_removals (corp_id, request_id, admitted_at)
            SELECT @corp, @request, @now
            WHERE @force OR (SELECT COUNT(*) FROM provisioning_removals WHERE corp_id = @corp AND admitted_at > @since) < @threshold
            ON CONFLICT (corp_id, request_id) DO NOTHING
            """, key);
        admit.Parameters.AddWithValue("since", _time.GetUtcNow() - window);
        admit.Parameters.AddWithValue("threshold", (long)threshold);
        admit.Parameters.AddWithValue("force", force);
        var admitted = await admit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (!admitted)
        {
            await using var known = Command(connection, "SELECT 1 FROM provisioning_removals WHERE corp_id = @corp AND request_id = @request", key);
            admitted = await known.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return admitted;
    }

    public async Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync().ConfigureAwait(false);
        var total = 0;
        while (true)
        {
            await using var delete = _dataSource.CreateCommand("""
                DELETE FROM provisioning_idempotency WHERE ctid IN (
                    SELECT ctid FROM provisioning_idempotency WHERE state IN (1, 2, 3) AND updated_at < @before LIMIT 1000)
                """);
            delete.Parameters.AddWithValue("before", endedBefore);
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < 1000)
            {
                await using var removals = _dataSource.CreateCommand("DELETE FROM provisioning_removals WHERE admitted_at < @before");
                removals.Parameters.AddWithValue("before", endedBefore);
                await removals.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return total + await PurgeMembersAsync(endedBefore, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Forgets what was applied to members last updated before <paramref name="before"/> (never, for rows from before
    /// updated_at) with no unfinished request, in batches. SKIP LOCKED: a member row locked by a claim in flight (which
    /// may be adding an unfinished request this statement cannot see yet) is left for the next round.
    /// </summary>
    async Task<int> PurgeMembersAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var delete = _dataSource.CreateCommand("""
                DELETE FROM provisioning_member_revisions WHERE (corp_id, member) IN (
                    SELECT m.corp_id, m.member FROM provisioning_member_revisions m
                    WHERE COALESCE(m.updated_at, '-infinity') < @before
                        AND NOT EXISTS (SELECT 1 FROM provisioning_idempotency i
                            WHERE i.corp_id = m.corp_id AND i.member = m.member AND i.state IN (0, 4))
                    LIMIT 1000 FOR UPDATE SKIP LOCKED)
                """);
            delete.Parameters.AddWithValue("before", before);
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
