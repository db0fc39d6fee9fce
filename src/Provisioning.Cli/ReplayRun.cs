using Provisioning.Broker;
using RabbitMQ.Client;

namespace Provisioning.Cli;

/// <summary>
/// Moves messages from <c>{queue}_error</c> back to <c>{queue}</c>, all or those the filters pick. Each message is
/// published (with a broker confirm) before its original is acknowledged; messages left alone stay unacknowledged
/// until the end and then return to the error queue. Killed at any point, every message is still in the error queue,
/// back in the input queue, or (between confirm and ack) in both: duplicates, which idempotency absorbs, never a loss.
/// </summary>
internal static class ReplayRun
{
    public static async Task<int> RunAsync(ReplayOptions options, CliConsole console, CancellationToken cancellationToken)
    {
        var errorQueue = options.Source;
        await using var connection = await new ConnectionFactory { Uri = options.Broker, ClientProvidedName = "provisioning-cli-replay" }
            .CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var waiting = await QueueMover.CountAsync(connection, errorQueue, cancellationToken).ConfigureAwait(false);
        if (waiting is null)
        {
            // The queue is declared the first time something goes there: none yet is the healthy state, not an error.
            console.Line($"{errorQueue} does not exist yet: nothing to move.");
            console.JsonLine(new { @event = "summary", queue = errorQueue, exists = false, moved = 0, kept = 0 });
            return 0;
        }
        console.Line($"{waiting} message(s) in {errorQueue}{(options.DryRun ? " (dry run: nothing is moved)" : "")}");

        var result = await QueueMover.PassAsync(connection, errorQueue, options.Queue, options.GuardDecision, letter =>
        {
            var matches = options.Matches(letter, now);
            if (matches && options.DryRun)
            {
                console.Line($"  would replay {Line(letter)}");
                console.JsonLine(Json("would-replay", letter));
            }
            return matches && !options.DryRun ? QueueMover.Decision.Move : QueueMover.Decision.Keep;
        }, letter =>
        {
            console.Line($"  replayed {Line(letter)}");
            console.JsonLine(Json(options.GuardDecision ?? "replayed", letter));
            return Task.CompletedTask;
        }, options.Rate, int.MaxValue, cancellationToken).ConfigureAwait(false);
        var (replayed, kept) = result ?? (0, 0);

        console.Line(options.DryRun
            ? $"{kept} looked at; none moved."
            : $"{replayed} {(options.GuardDecision is { } d ? d + " and" : "")} replayed to {options.Queue}, {kept} left in {errorQueue}.");
        console.JsonLine(new { @event = "summary", queue = errorQueue, exists = true, moved = replayed, kept });
        return ExitCodes.Ok;
    }

    static string Line(DeadLetter letter) =>
        $"{letter.UserId ?? "?",-24} request {letter.RequestId?.ToString() ?? "?",-36} errcode {letter.ErrCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",-6} faulted {letter.FaultedAt:u}";

    static object Json(string action, DeadLetter letter) =>
        new { @event = action, letter.RequestId, letter.UserId, letter.ErrCode, letter.FaultedAt, letter.Reason };
}
