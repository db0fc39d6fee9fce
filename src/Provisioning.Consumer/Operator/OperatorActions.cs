using System.Security.Claims;
using Provisioning.Storage.RequestLog;

namespace Provisioning.Consumer.Operator;

/// <summary>
/// What an operator does (replay dead letters, release or reject held removals), the same from the API and the
/// console: done, then written to the audit log (who, what, when, from where, how it went) and logged.
/// </summary>
internal sealed partial class OperatorActions(OperatorQueues queues, RequestLogStore store, TimeProvider time, ILogger<OperatorActions> logger)
{
    public const string Replay = "replay";
    public const string Release = "release";
    public const string Reject = "reject";

    public async Task<MoveResult> RunAsync(string action, IReadOnlySet<Guid> requestIds, HttpContext context, CancellationToken cancellationToken)
    {
        var user = context.User;
        var actor = ActorOf(user);
        var role = RoleOf(user);
        var target = string.Join(" ", requestIds.Order());
        MoveResult result;
        try
        {
            result = action switch
            {
                Replay => await queues.ReplayAsync(requestIds, cancellationToken).ConfigureAwait(false),
                Release => await queues.DecideHeldAsync(requestIds, release: true, cancellationToken).ConfigureAwait(false),
                Reject => await queues.DecideHeldAsync(requestIds, release: false, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown operator action"),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentOutOfRangeException)
        {
            await AuditAsync(new AuditEntry(time.GetUtcNow(), actor, role, action, target, $"failed: {ex.GetBaseException().Message}",
                context.Connection.RemoteIpAddress?.ToString())).ConfigureAwait(false);
            throw;
        }
        var summary = $"moved {result.Moved.Count} of {requestIds.Count}" +
            (result.NotFound.Count > 0 ? $"; not found: {string.Join(" ", result.NotFound)}" : "");
        await AuditAsync(new AuditEntry(time.GetUtcNow(), actor, role, action, target, summary, context.Connection.RemoteIpAddress?.ToString())).ConfigureAwait(false);
        return result;
    }

    /// <summary>A sign-in, failed or not, is audited too.</summary>
    public Task SignInAsync(string actor, string role, bool succeeded, HttpContext context) =>
        AuditAsync(new AuditEntry(time.GetUtcNow(), actor, role, "sign-in", "console", succeeded ? "signed in" : "refused: the key is not valid",
            context.Connection.RemoteIpAddress?.ToString()));

    public static string RoleOf(ClaimsPrincipal user) =>
        string.Join(",", user.Identities.SelectMany(identity => identity.FindAll(identity.RoleClaimType)).Select(c => c.Value).Distinct());

    public static string ActorOf(ClaimsPrincipal user) =>
        user.Identity?.Name ?? user.FindFirst("preferred_username")?.Value ?? user.FindFirst("sub")?.Value ?? "?";

    async Task AuditAsync(AuditEntry entry)
    {
        LogAudit(logger, entry.Actor, entry.Role, entry.Action, entry.Target, entry.Result, entry.Remote);
        try
        {
            // Not the request's token: an action that was done is audited even if the caller went away.
            await store.AuditAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            LogAuditFailed(logger, ex.GetBaseException().Message);
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information,
        Message = "Audit: {Actor} ({Role}) {Action} {Target}: {Result} (from {Remote})")]
    static partial void LogAudit(ILogger logger, string actor, string role, string action, string target, string result, string? remote);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Audit: could not write the audit log ({Reason}); the line above is the record")]
    static partial void LogAuditFailed(ILogger logger, string reason);
}
