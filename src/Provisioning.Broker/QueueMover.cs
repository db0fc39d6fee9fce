using Provisioning.Contracts;
using RabbitMQ.Client;

namespace Provisioning.Broker;

/// <summary>
/// Reads and moves the messages of a queue operators act on (an error queue, a held queue). A move publishes the
/// message to its target with a broker confirm (mandatory: an unbound target fails instead of losing it) before the
/// original is acknowledged; messages left alone stay unacknowledged until the pass ends and then return in their order.
/// Killed at any point, every message is still in its source, in its target, or (between confirm and ack) in both:
/// a duplicate, which idempotency absorbs, never a loss.
/// </summary>
public static class QueueMover
{
    /// <summary>What a pass does with one message.</summary>
    public enum Decision
    {
        Keep,
        Move,
    }

    /// <summary>The number of messages in <paramref name="queue"/>, or null when it does not exist (nothing ever went there).</summary>
    public static async Task<uint?> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A failed passive declare closes its channel: a channel of its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    /// <summary>Up to <paramref name="limit"/> messages of the queue, read without taking them (all return when the pass ends).</summary>
    public static async Task<IReadOnlyList<DeadLetter>> PeekAsync(IConnection connection, string queue, int limit, CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        await PassAsync(connection, queue, target: null, guardDecision: null, letter =>
        {
            letters.Add(letter);
            return Decision.Keep;
        }, onMoved: null, rate: 0, limit, cancellationToken).ConfigureAwait(false);
        return letters;
    }

    /// <summary>
    /// One pass over the messages the queue held when it started: <paramref name="decide"/> picks those moved to
    /// <paramref name="target"/>, without the headers of their failure and with <paramref name="guardDecision"/> (an
    /// operator's release or reject of a held command) when given.
    /// </summary>
    /// <returns>How many were moved and kept, or null when the source queue does not exist.</returns>
    public static async Task<(int Moved, int Kept)?> PassAsync(IConnection connection, string source, string? target, string? guardDecision,
        Func<DeadLetter, Decision> decide, Func<DeadLetter, Task>? onMoved, double rate, int limit, CancellationToken cancellationToken)
    {
        if (await CountAsync(connection, source, cancellationToken).ConfigureAwait(false) is not { } waiting)
            return null;
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
        int moved = 0, kept = 0;
        // At most the messages there were at the start: kept ones are still held by this channel, moved ones gone.
        for (var i = 0; i < Math.Min(waiting, (uint)limit); i++)
        {
            var message = await channel.BasicGetAsync(source, autoAck: false, cancellationToken).ConfigureAwait(false);
            if (message is null)
                break;
            var letter = DeadLetter.Read(message.BasicProperties, message.Body);
            if (decide(letter) == Decision.Keep || target is null)
            {
                kept++;
                continue;
            }
            var properties = new BasicProperties(message.BasicProperties)
            {
                Headers = message.BasicProperties.Headers?.Where(h => !DeadLetter.IsFailureHeader(h.Key)).ToDictionary(h => h.Key, h => h.Value) ?? [],
            };
            properties.Headers[ProvisioningHeaders.MovedFrom] = source;
            if (guardDecision is not null)
                properties.Headers[ProvisioningHeaders.Guard] = guardDecision;
            await channel.BasicPublishAsync("", target, mandatory: true, properties, message.Body, cancellationToken).ConfigureAwait(false);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
            moved++;
            if (onMoved is not null)
                await onMoved(letter).ConfigureAwait(false);
            if (rate > 0)
                await Task.Delay(TimeSpan.FromSeconds(1 / rate), cancellationToken).ConfigureAwait(false);
        }
        return (moved, kept);
    }
}
