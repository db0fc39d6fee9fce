namespace Provisioning.Storage.RequestLog;

internal sealed partial class RequestLogStore
{
    public async Task AuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = Command(connection, null,
            "INSERT INTO request_log_audit (at, actor, role, action, target, result, remote) VALUES (@at, @actor, @role, @action, @target, @result, @remote)");
        Add(insert, "at", entry.At.ToUnixTimeMilliseconds());
        Add(insert, "actor", entry.Actor);
        Add(insert, "role", entry.Role);
        Add(insert, "action", entry.Action);
        Add(insert, "target", BoundedText.Bound(entry.Target, BoundedText.Text));
        Add(insert, "result", BoundedText.Bound(entry.Result, BoundedText.Text));
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
}
