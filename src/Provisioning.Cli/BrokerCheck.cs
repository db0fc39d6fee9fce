using Provisioning.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Provisioning.Cli;

/// <summary>
/// Before anything is published: can we log in, does each command type's exchange exist (MassTransit declares it when a
/// consumer subscribes; without it, commands would be dropped), and does the consumer's queue have a consumer (without
/// one the commands only wait). Publishing is mandatory as well, so a binding that is missing although the exchange
/// exists is caught by the broker returning the first command.
/// </summary>
internal static class BrokerCheck
{
    /// <returns>Warnings: queues that exist but where nothing consumes.</returns>
    /// <exception cref="CliException">Nothing would receive some command type (exit code 4).</exception>
    public static async Task<IReadOnlyList<string>> RunAsync(Uri broker, IEnumerable<Type> commandTypes, CancellationToken cancellationToken)
    {
        await using var connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "provisioning-cli-check" }
            .CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        foreach (var type in commandTypes.Distinct())
        {
            var exchange = CommandQueueNames.Exchange(type);
            if (!await ExistsAsync(connection, channel => channel.ExchangeDeclarePassiveAsync(exchange, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                throw new CliException(
                    $"nothing receives {type.Name} commands on {BrokerAddress.Safe(broker)}: the exchange '{exchange}' does not exist, so no consumer " +
                    "has subscribed to it and the commands would be dropped; start the consumer (README: quick start), then run this again. Nothing was published",
                    ExitCodes.Broker);
            }
            var queue = CommandQueueNames.Queue(type);
            uint consumers = 0;
            var found = await ExistsAsync(connection, async channel => consumers = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false)).ConsumerCount,
                cancellationToken).ConfigureAwait(false);
            if (found && consumers == 0)
                warnings.Add($"the queue '{queue}' has no consumer right now: the {type.Name} commands will wait there until one starts");
        }
        return warnings;
    }

    /// <summary>A passive declare: false on 404 (which closes the channel, so each check gets its own).</summary>
    static async Task<bool> ExistsAsync(IConnection connection, Func<IChannel, Task> declare, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await declare(channel).ConfigureAwait(false);
            return true;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }
}
