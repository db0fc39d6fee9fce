namespace Provisioning.Storage;

internal sealed partial class SqliteRequestLedger
{
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
}
