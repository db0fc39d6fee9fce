namespace Provisioning.Storage;

internal sealed partial class SqliteRequestLedger
{
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
}
