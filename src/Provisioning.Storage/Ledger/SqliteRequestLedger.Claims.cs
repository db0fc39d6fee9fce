using Microsoft.Data.Sqlite;

namespace Provisioning.Storage;

internal sealed partial class SqliteRequestLedger
{
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
}
