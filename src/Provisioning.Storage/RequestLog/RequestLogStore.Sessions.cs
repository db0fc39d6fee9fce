namespace Provisioning.Storage.RequestLog;

/// <summary>
/// Console sessions ended on the server: a signed-out session's id, so that a copy of its cookie is refused by every
/// replica sharing this store (the cookie itself cannot be recalled from the browsers that hold it).
/// </summary>
internal sealed partial class RequestLogStore
{
    public async Task EndSessionAsync(string sessionId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = Command(connection, null,
            "INSERT INTO console_sessions_ended (session_id, ended_at) VALUES (@id, @at) ON CONFLICT (session_id) DO NOTHING");
        Add(insert, "id", sessionId);
        Add(insert, "at", at.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsSessionEndedAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, "SELECT 1 FROM console_sessions_ended WHERE session_id = @id");
        Add(select, "id", sessionId);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
