using Provisioning.Contracts;
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
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);

        uint waiting;
        try
        {
            waiting = (await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken).ConfigureAwait(false)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            // The queue is declared the first time something goes there: none yet is the healthy state, not an error.
            console.Line($"{errorQueue} does not exist yet: nothing to move.");
            console.JsonLine(new { @event = "summary", queue = errorQueue, exists = false, moved = 0, kept = 0 });
            return 0;
        }
        console.Line($"{waiting} message(s) in {errorQueue}{(options.DryRun ? " (dry run: nothing is moved)" : "")}");

        int replayed = 0, kept = 0;
        var now = DateTimeOffset.UtcNow;
        // At most the messages there were at the start: kept ones are still held by this channel, replayed ones gone.
        for (var i = 0; i < waiting; i++)
        {
            var message = await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken).ConfigureAwait(false);
            if (message is null)
                break;
            var letter = DeadLetter.Read(message.BasicProperties, message.Body);
            var line = $"{letter.UserId ?? "?",-24} request {letter.RequestId?.ToString() ?? "?",-36} errcode {letter.ErrCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",-6} faulted {letter.FaultedAt:u}";
            if (!options.Matches(letter, now) || options.DryRun)
            {
                kept++;
                if (options.DryRun && options.Matches(letter, now))
                {
                    console.Line($"  would replay {line}");
                    console.JsonLine(Json("would-replay", letter));
                }
                continue;
            }

            var properties = new BasicProperties(message.BasicProperties)
            {
                Headers = message.BasicProperties.Headers?.Where(h => !DeadLetter.IsFailureHeader(h.Key)).ToDictionary(h => h.Key, h => h.Value) ?? [],
            };
            if (options.GuardDecision is { } decision)
                properties.Headers[ProvisioningHeaders.Guard] = decision;
            // Confirmed (and routed: mandatory) before the original is acknowledged.
            await channel.BasicPublishAsync("", options.Queue, mandatory: true, properties, message.Body, cancellationToken).ConfigureAwait(false);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
            replayed++;
            console.Line($"  replayed {line}");
            console.JsonLine(Json(options.GuardDecision ?? "replayed", letter));
            if (options.Rate > 0)
                await Task.Delay(TimeSpan.FromSeconds(1 / options.Rate), cancellationToken).ConfigureAwait(false);
        }

        console.Line(options.DryRun
            ? $"{kept} looked at; none moved."
            : $"{replayed} {(options.GuardDecision is { } d ? d + " and" : "")} replayed to {options.Queue}, {kept} left in {errorQueue}.");
        console.JsonLine(new { @event = "summary", queue = errorQueue, exists = true, moved = replayed, kept });
        return ExitCodes.Ok;
    }

    static object Json(string action, DeadLetter letter) =>
        new { @event = action, letter.RequestId, letter.UserId, letter.ErrCode, letter.FaultedAt, letter.Reason };
}
