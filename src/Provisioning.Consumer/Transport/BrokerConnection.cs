using RabbitMQ.Client;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// A plain RabbitMQ.Client connection beside MassTransit's, for what moves messages byte for byte (retry parking, the
/// console's queue moves, plain-JSON outcomes): the configured broker and cluster nodes, recovering by itself.
/// </summary>
internal static class BrokerConnection
{
    /// <summary>A channel whose publishes wait for the broker's confirm.</summary>
    public static readonly CreateChannelOptions Confirming = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    public static Task<IConnection> OpenAsync(RabbitMqOptions options, string clientName, CancellationToken cancellationToken) =>
        new ConnectionFactory { Uri = new Uri(options.ConnectionString!), ClientProvidedName = clientName, AutomaticRecoveryEnabled = true }
            .CreateConnectionAsync(options.Nodes().Select(node => new AmqpTcpEndpoint(node.Host, node.Port)).ToList(), cancellationToken);
}
