using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.Storage.RequestLog;

namespace Provisioning.Consumer.Operator;

/// <summary>
/// The HTTP API (JSON) over the provisioning log, the enterprises and the queues operators act on. Reading needs the
/// reader or operator role; actions need operator, take a JSON body (a cross-site form cannot send one, and no CORS is
/// allowed) and are audited.
/// </summary>
internal static class ProvisioningApi
{
    /// <summary>A list of request ids to act on.</summary>
    public sealed record RequestIdList(IReadOnlyList<Guid>? RequestIds);

    public static void MapProvisioningApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(OperatorPolicies.Read);

        api.MapGet("/requests/{requestId:guid}", async Task<Results<Ok<RequestDetail>, NotFound<ApiError>>> (Guid requestId, RequestLogStore log, CancellationToken cancellationToken) =>
            await log.GetAsync(requestId, cancellationToken).ConfigureAwait(false) is { } detail
                ? TypedResults.Ok(detail)
                : TypedResults.NotFound(new ApiError($"no request {requestId} in the log (never received, or past Storage:RequestLog:Retention)")));

        api.MapGet("/requests", async Task<Results<Ok<RequestPage>, BadRequest<ApiError>>> (HttpContext context, RequestLogStore log, CancellationToken cancellationToken) =>
        {
            var (query, error) = RequestFilters.Parse(context.Request.Query);
            return query is null
                ? TypedResults.BadRequest(new ApiError(error!))
                : TypedResults.Ok(await log.ListAsync(query, cancellationToken).ConfigureAwait(false));
        });

        api.MapGet("/members/{userId}/history", async (string userId, string? corpId, RequestLogStore log, CancellationToken cancellationToken) =>
            TypedResults.Ok(await log.HistoryAsync(corpId, userId, 500, cancellationToken).ConfigureAwait(false)));

        api.MapGet("/failures", async Task<Results<Ok<IReadOnlyList<FailureCount>>, BadRequest<ApiError>>> (HttpContext context, RequestLogStore log,
            TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (FailureWindow.Parse(context.Request.Query, time.GetUtcNow()) is not { } window)
                return TypedResults.BadRequest(new ApiError("hours must be a whole number from 1 to 720, bucket one of 5m, 15m, 1h, 1d"));
            return TypedResults.Ok(await log.FailuresAsync(window.From, window.To, window.Bucket, context.Request.Query["corpId"], cancellationToken).ConfigureAwait(false));
        });

        api.MapGet("/enterprises", async (EnterpriseStates states, OperatorQueues queues, CancellationToken cancellationToken) =>
            TypedResults.Ok(await states.ListAsync(await queues.HeldAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)));

        api.MapGet("/dead-letters", async (OperatorQueues queues, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queues.DeadLettersAsync(cancellationToken).ConfigureAwait(false)));
        api.MapGet("/held", async (OperatorQueues queues, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queues.HeldAsync(cancellationToken).ConfigureAwait(false)));

        api.MapPost("/dead-letters/replay", (RequestIdList body, HttpContext context, OperatorActions actions, CancellationToken cancellationToken) =>
            ActAsync(OperatorActions.Replay, body, context, actions, cancellationToken)).RequireAuthorization(OperatorPolicies.Operate);
        api.MapPost("/held/release", (RequestIdList body, HttpContext context, OperatorActions actions, CancellationToken cancellationToken) =>
            ActAsync(OperatorActions.Release, body, context, actions, cancellationToken)).RequireAuthorization(OperatorPolicies.Operate);
        api.MapPost("/held/reject", (RequestIdList body, HttpContext context, OperatorActions actions, CancellationToken cancellationToken) =>
            ActAsync(OperatorActions.Reject, body, context, actions, cancellationToken)).RequireAuthorization(OperatorPolicies.Operate);

        api.MapGet("/audit", async (RequestLogStore log, CancellationToken cancellationToken) =>
            TypedResults.Ok(await log.AuditTrailAsync(500, cancellationToken).ConfigureAwait(false)));
    }

    static async Task<Results<Ok<MoveResult>, BadRequest<ApiError>>> ActAsync(string action, RequestIdList body, HttpContext context, OperatorActions actions,
        CancellationToken cancellationToken)
    {
        if (body.RequestIds is not { Count: > 0 } ids)
            return TypedResults.BadRequest(new ApiError("requestIds: give at least one request id"));
        return TypedResults.Ok(await actions.RunAsync(action, ids.ToHashSet(), context, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>An API error: what was wrong, in one sentence.</summary>
public sealed record ApiError(string Error);
