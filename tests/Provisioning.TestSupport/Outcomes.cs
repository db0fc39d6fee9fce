using System.Collections.Concurrent;
using System.Text.Json;
using Provisioning.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Provisioning.TestSupport;

/// <summary>
/// Listens, with the plain RabbitMQ client, on the outcome exchanges as any subscriber would, and reads the
/// MassTransit envelope's <c>message</c> with camelCase names: this checks the wire contract too.
/// </summary>
public sealed class Outcomes : IAsyncDisposable
{
    readonly IConnection _connection;
    readonly IChannel _channel;

    Outcomes(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public ConcurrentQueue<MemberCreated> Created { get; } = new();

    public ConcurrentQueue<MemberCreationFailed> Failed { get; } = new();

    /// <summary>Every outcome body as it came over the wire.</summary>
    public ConcurrentQueue<string> Raw { get; } = new();

    public static async Task<Outcomes> ListenAsync(TestBroker broker)
    {
        var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var outcomes = new Outcomes(connection, channel);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var exchange in new[] { "Provisioning.Contracts:MemberCreated", "Provisioning.Contracts:MemberCreationFailed" })
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, exchange, "");
        }
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            outcomes.Accept(delivery.Exchange, delivery.Body.ToArray());
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return outcomes;
    }

    void Accept(string exchange, byte[] body)
    {
        Raw.Enqueue(System.Text.Encoding.UTF8.GetString(body));
        using var envelope = JsonDocument.Parse(body);
        var message = envelope.RootElement.GetProperty("message");
        if (exchange.EndsWith(":MemberCreated", StringComparison.Ordinal))
            Created.Enqueue(message.Deserialize<MemberCreated>(JsonSerializerOptions.Web)!);
        else
            Failed.Enqueue(message.Deserialize<MemberCreationFailed>(JsonSerializerOptions.Web)!);
    }

    public Task<MemberCreated> CreatedFor(Guid requestId, TimeSpan? timeout = null) =>
        Wait.For(() => Created.FirstOrDefault(c => c.RequestId == requestId), timeout, $"MemberCreated for {requestId}");

    public Task<MemberCreationFailed> FailedFor(Guid requestId, TimeSpan? timeout = null) =>
        Wait.For(() => Failed.FirstOrDefault(c => c.RequestId == requestId), timeout, $"MemberCreationFailed for {requestId}");

    public int CountFor(Guid requestId) => Created.Count(c => c.RequestId == requestId) + Failed.Count(f => f.RequestId == requestId);

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
