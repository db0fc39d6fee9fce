namespace Provisioning.Storage;

internal sealed partial class SqliteRequestLedger
{
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
}
