using System.Data.Common;
using System.Globalization;

namespace Provisioning.Storage.RequestLog;

internal sealed partial class RequestLogStore
{
    const string Columns = """
        request_id, corp_id, user_id, operation, status, received_at, updated_at, ended_at, deliveries, attempts, parking_tier,
        dead_lettered_at, outcome, reason, errcode, message, name, mobile, email
        """;

    public async Task<RequestDetail?> GetAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        RequestEntry? entry;
        await using (var select = Command(connection, null, $"SELECT {Columns} FROM request_log WHERE request_id = @id"))
        {
            Add(select, "id", requestId.ToString());
            entry = (await ReadEntriesAsync(select, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }
        if (entry is null)
            return null;
        await using var steps = Command(connection, null, "SELECT at, kind, detail FROM request_log_steps WHERE request_id = @id ORDER BY at, id");
        Add(steps, "id", requestId.ToString());
        var list = new List<RequestStep>();
        await using var reader = await steps.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new RequestStep(Time(reader.GetInt64(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return new RequestDetail(entry, list);
    }

    /// <summary>Every request for one person (userid ignoring case, in one enterprise or all), newest first.</summary>
    public async Task<IReadOnlyList<RequestEntry>> HistoryAsync(string? corpId, string userId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, $"""
            SELECT {Columns} FROM request_log WHERE lower(user_id) = @user AND (@corp IS NULL OR corp_id = @corp)
            ORDER BY received_at DESC, request_id LIMIT @limit
            """);
        Add(select, "user", userId.ToLowerInvariant());
        Add(select, "corp", string.IsNullOrEmpty(corpId) ? null : corpId);
        Add(select, "limit", (int?)limit);
        return await ReadEntriesAsync(select, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RequestPage> ListAsync(RequestQuery query, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, RequestQuery.MaxPageSize);
        var page = Math.Max(query.Page, 1);
        const string Where = """
            WHERE (@corp IS NULL OR corp_id = @corp) AND (@status IS NULL OR status = @status) AND (@reason IS NULL OR reason = @reason)
              AND (@errcode IS NULL OR errcode = @errcode) AND (@from IS NULL OR received_at >= @from) AND (@to IS NULL OR received_at < @to)
              AND (@prefix IS NULL OR lower(user_id) LIKE @prefix ESCAPE '\') AND (@operation IS NULL OR operation = @operation)
            """;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var count = Command(connection, null, "SELECT COUNT(*) FROM request_log " + Where);
        await using var select = Command(connection, null, $"SELECT {Columns} FROM request_log {Where} ORDER BY received_at DESC, request_id LIMIT @limit OFFSET @offset");
        foreach (var command in new[] { count, select })
        {
            Add(command, "corp", Empty(query.CorpId));
            Add(command, "status", Empty(query.Status));
            Add(command, "reason", Empty(query.Reason));
            Add(command, "errcode", query.ErrCode);
            Add(command, "from", query.From?.ToUnixTimeMilliseconds());
            Add(command, "to", query.To?.ToUnixTimeMilliseconds());
            Add(command, "prefix", Empty(query.UserIdPrefix) is { } prefix
                ? prefix.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"
                : null);
            Add(command, "operation", Empty(query.Operation));
        }
        Add(select, "limit", (int?)pageSize);
        Add(select, "offset", (long?)((long)(page - 1) * pageSize));
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return new RequestPage(await ReadEntriesAsync(select, cancellationToken).ConfigureAwait(false), page, pageSize, total);
    }

    /// <summary>Failed and dead-lettered requests by reason, per bucket of <paramref name="bucket"/>, that ended in [from, to).</summary>
    public async Task<IReadOnlyList<FailureCount>> FailuresAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, string? corpId,
        CancellationToken cancellationToken)
    {
        var size = (long)bucket.TotalMilliseconds;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, """
            SELECT (ended_at / @size) * @size AS bucket, reason, COUNT(*) FROM request_log
            WHERE status IN ('failed', 'dead_lettered') AND ended_at >= @from AND ended_at < @to AND (@corp IS NULL OR corp_id = @corp)
            GROUP BY 1, 2 ORDER BY 1, 2
            """);
        Add(select, "size", (long?)size);
        Add(select, "from", from.ToUnixTimeMilliseconds());
        Add(select, "to", to.ToUnixTimeMilliseconds());
        Add(select, "corp", Empty(corpId));
        var counts = new List<FailureCount>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            counts.Add(new FailureCount(Time(reader.GetInt64(0)), reader.IsDBNull(1) ? "?" : reader.GetString(1), reader.GetInt64(2)));
        return counts;
    }

    /// <summary>Per enterprise: requests that ended since <paramref name="since"/> and the WeCom calls they made.</summary>
    public async Task<IReadOnlyDictionary<string, (long Ended, long Calls)>> RecentUseAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, "SELECT corp_id, COUNT(*), SUM(attempts) FROM request_log WHERE ended_at >= @since GROUP BY corp_id");
        Add(select, "since", since.ToUnixTimeMilliseconds());
        var use = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            use[reader.GetString(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? 0 : Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture));
        return use;
    }

    static async Task<List<RequestEntry>> ReadEntriesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<RequestEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new RequestEntry
            {
                RequestId = Guid.Parse(reader.GetString(0)),
                CorpId = reader.GetString(1),
                UserId = reader.GetString(2),
                Operation = reader.GetString(3),
                Status = reader.GetString(4),
                ReceivedAt = Time(reader.GetInt64(5)),
                UpdatedAt = Time(reader.GetInt64(6)),
                EndedAt = reader.IsDBNull(7) ? null : Time(reader.GetInt64(7)),
                Deliveries = reader.GetInt32(8),
                Attempts = reader.GetInt32(9),
                ParkingTier = reader.GetInt32(10),
                DeadLetteredAt = reader.IsDBNull(11) ? null : Time(reader.GetInt64(11)),
                Outcome = Text(reader, 12),
                Reason = Text(reader, 13),
                ErrCode = reader.IsDBNull(14) ? null : reader.GetInt32(14),
                Message = Text(reader, 15),
                Name = Text(reader, 16),
                Mobile = Text(reader, 17),
                Email = Text(reader, 18),
            });
        }
        return entries;
    }

    static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
