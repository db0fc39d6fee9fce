using System.Text;
using MassTransit;
using Provisioning.Contracts;
using RabbitMQ.Client;

namespace Provisioning.IntegrationTests.Infrastructure;

/// <summary>Publishes commands as a .NET onboarding system would (MassTransit) and as any other would (plain AMQP).</summary>
internal sealed class Publisher : IAsyncDisposable
{
    public const string CommandExchange = "Provisioning.Contracts:CreateMember";
    readonly IBusControl _bus;
    readonly IConnection _connection;
    readonly IChannel _channel;

    Publisher(IBusControl bus, IConnection connection, IChannel channel)
    {
        _bus = bus;
        _connection = connection;
        _channel = channel;
    }

    public IChannel Channel => _channel;

    public IConnection Connection => _connection;

    public static async Task<Publisher> StartAsync(TestBroker broker)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(broker.AmqpUri));
        await bus.StartAsync();
        var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new Publisher(bus, connection, channel);
    }

    public Task PublishAsync(CreateMember command) => _bus.Publish(command);

    /// <summary>Any command type, as a MassTransit publisher.</summary>
    public Task PublishAsync<T>(T command)
        where T : class => _bus.Publish(command);

    /// <summary>A plain JSON body (no MassTransit envelope), as a publisher in another language sends it.</summary>
    public Task PublishRawAsync(string body, string contentType = "application/json", string exchange = CommandExchange, DateTimeOffset? sentAt = null)
    {
        var properties = new BasicProperties { ContentType = contentType, Persistent = true, MessageId = Guid.NewGuid().ToString() };
        if (sentAt is { } at)
            properties.Timestamp = new AmqpTimestamp(at.ToUnixTimeSeconds());
        return _channel.BasicPublishAsync(exchange, "", mandatory: true, properties, Encoding.UTF8.GetBytes(body)).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await _bus.StopAsync();
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
