using System.Data;
using System.Data.Common;

namespace Provisioning.Storage.RequestLog;

internal sealed partial class RequestLogStore
{
    // A request that has ended keeps its outcome: a later duplicate delivery (answered from the idempotency store) only
    // counts as a delivery. Anything else moves it to the step's status.
    const string KeepEnded = "CASE WHEN request_log.status IN ('succeeded', 'failed') THEN request_log.status ELSE excluded.status END";

    const string Insert = """
        INSERT INTO request_log (request_id, corp_id, user_id, operation, status, received_at, updated_at, ended_at, deliveries, attempts,
            parking_tier, dead_lettered_at, outcome, reason, errcode, message, name, mobile, email)
        VALUES (@id, @corp, @user, @operation, @status, @at, @at, @ended, @deliveries, @attempts, @tier, @deadLettered, @outcome, @reason,
            @errcode, @message, @name, @mobile, @email)
        ON CONFLICT (request_id) DO UPDATE SET updated_at = excluded.updated_at,
        """;

    static readonly Dictionary<string, string> Upserts = new(StringComparer.Ordinal)
    {
        [RequestEventKinds.Received] = Insert + $"""
             deliveries = request_log.deliveries + 1, status = {KeepEnded},
             name = COALESCE(excluded.name, request_log.name), mobile = COALESCE(excluded.mobile, request_log.mobile),
             email = COALESCE(excluded.email, request_log.email)
            """,
        [RequestEventKinds.Waiting] = Insert + $" status = {KeepEnded}",
        [RequestEventKinds.Held] = Insert + $" status = {KeepEnded}",
        [RequestEventKinds.Parked] = Insert + $"""
             status = {KeepEnded},
             parking_tier = CASE WHEN excluded.parking_tier > request_log.parking_tier THEN excluded.parking_tier ELSE request_log.parking_tier END,
             attempts = CASE WHEN excluded.attempts > request_log.attempts THEN excluded.attempts ELSE request_log.attempts END,
             message = excluded.message
            """,
        [RequestEventKinds.Duplicate] = Insert + " status = request_log.status",
        [RequestEventKinds.Succeeded] = Insert + Ended,
        [RequestEventKinds.Failed] = Insert + Ended,
        [RequestEventKinds.DeadLettered] = Insert + Ended + ", dead_lettered_at = excluded.dead_lettered_at",
    };

    const string Ended = """
         status = excluded.status, ended_at = excluded.ended_at, outcome = excluded.outcome, reason = excluded.reason,
         errcode = excluded.errcode, message = excluded.message,
         attempts = CASE WHEN excluded.attempts > request_log.attempts THEN excluded.attempts ELSE request_log.attempts END
        """;

    static string StatusOf(string kind) => kind switch
    {
        RequestEventKinds.Waiting => RequestStatuses.Waiting,
        RequestEventKinds.Parked => RequestStatuses.Parked,
        RequestEventKinds.Held => RequestStatuses.Held,
        RequestEventKinds.DeadLettered => RequestStatuses.DeadLettered,
        RequestEventKinds.Succeeded => RequestStatuses.Succeeded,
        RequestEventKinds.Failed => RequestStatuses.Failed,
        _ => RequestStatuses.InProgress,
    };

    static readonly string[] UpsertParameters =
        ["id", "corp", "user", "operation", "status", "at", "ended", "deliveries", "attempts", "tier", "deadLettered", "outcome", "reason", "errcode",
            "message", "name", "mobile", "email"];

    /// <summary>
    /// Writes the steps in one transaction, in their order. Each statement is prepared once per batch and run with new
    /// values for every step (most of the cost of a step was parsing its SQL again).
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<RequestEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var upserts = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        var insert = Command(connection, transaction, "INSERT INTO request_log_steps (request_id, at, kind, detail) VALUES (@id, @at, @kind, @detail)");
        try
        {
            Add(insert, "id", (string?)null);
            Add(insert, "at", (long?)null);
            Add(insert, "kind", (string?)null);
            Add(insert, "detail", (string?)null);
            foreach (var step in events)
            {
                if (!upserts.TryGetValue(step.Kind, out var upsert))
                {
                    upsert = Command(connection, transaction, Upserts[step.Kind]);
                    foreach (var name in UpsertParameters)
                        Add(upsert, name, null, name is "at" or "ended" or "deadLettered" ? DbType.Int64 : name is "deliveries" or "attempts" or "tier" or "errcode" ? DbType.Int32 : DbType.String);
                    upserts[step.Kind] = upsert;
                }
                var at = step.At.ToUnixTimeMilliseconds();
                var ended = step.Kind is RequestEventKinds.Succeeded or RequestEventKinds.Failed or RequestEventKinds.DeadLettered;
                Set(upsert, 0, step.RequestId.ToString());
                Set(upsert, 1, BoundedText.Bound(step.CorpId, BoundedText.Id));
                Set(upsert, 2, BoundedText.Bound(step.UserId, BoundedText.Id));
                Set(upsert, 3, step.Operation);
                Set(upsert, 4, StatusOf(step.Kind));
                Set(upsert, 5, at);
                Set(upsert, 6, ended ? at : null);
                Set(upsert, 7, step.Kind == RequestEventKinds.Received ? 1 : 0);
                Set(upsert, 8, step.Attempts ?? 0);
                Set(upsert, 9, step.Tier ?? 0);
                Set(upsert, 10, step.Kind == RequestEventKinds.DeadLettered ? at : null);
                Set(upsert, 11, step.Outcome);
                Set(upsert, 12, step.Reason);
                Set(upsert, 13, step.ErrCode);
                Set(upsert, 14, BoundedText.Bound(step.Detail, BoundedText.Text));
                Set(upsert, 15, BoundedText.Bound(step.Person?.Name, BoundedText.Id));
                Set(upsert, 16, step.Person?.MaskedMobile);
                Set(upsert, 17, step.Person?.MaskedEmail);
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                Set(insert, 0, step.RequestId.ToString());
                Set(insert, 1, at);
                Set(insert, 2, step.Kind);
                Set(insert, 3, BoundedText.Bound(step.Detail, BoundedText.Text));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await insert.DisposeAsync().ConfigureAwait(false);
            foreach (var upsert in upserts.Values)
                await upsert.DisposeAsync().ConfigureAwait(false);
        }
    }

    static void Set(DbCommand command, int index, object? value) => command.Parameters[index].Value = value ?? DBNull.Value;
}
