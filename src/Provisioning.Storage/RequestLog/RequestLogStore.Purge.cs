namespace Provisioning.Storage.RequestLog;

internal sealed partial class RequestLogStore
{
    /// <summary>Deletes requests (with their steps) unchanged since <paramref name="before"/>, older audit lines and ended console sessions.</summary>
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
        // A session lives 8 hours at most: its end needs keeping no longer than the log's retention.
        await using var sessions = Command(connection, transaction, "DELETE FROM console_sessions_ended WHERE ended_at < @before");
        Add(sessions, "before", before.ToUnixTimeMilliseconds());
        await sessions.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}
