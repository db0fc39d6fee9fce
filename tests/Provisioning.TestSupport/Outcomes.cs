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

    /// <summary>One outcome of any command: the event's type name (MemberDisabled, MemberUpdateFailed, …) and its message.</summary>
    public sealed record Event(string Type, Guid RequestId, string UserId, JsonElement Message)
    {
        public bool Succeeded => !Type.EndsWith("Failed", StringComparison.Ordinal);

        public string? Reason => Message.TryGetProperty("reason", out var reason) ? reason.GetString() : null;

        public T As<T>() => Message.Deserialize<T>(JsonSerializerOptions.Web)!;
    }

    /// <summary>Every outcome of every command type, in arrival order.</summary>
    public ConcurrentQueue<Event> All { get; } = new();

    /// <summary>Every outcome body as it came over the wire.</summary>
    public ConcurrentQueue<string> Raw { get; } = new();

    public static async Task<Outcomes> ListenAsync(TestBroker broker)
    {
        var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var outcomes = new Outcomes(connection, channel);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        // The two base exchanges receive every success and every failure of every command type; RabbitMQ delivers a
        // message that reaches the queue by two bindings once.
        foreach (var exchange in new[] { "Provisioning.Contracts:MemberCreated", "Provisioning.Contracts:MemberCreationFailed",
            "Provisioning.Contracts:MemberCommandSucceeded", "Provisioning.Contracts:MemberCommandFailed" })
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
        var message = envelope.RootElement.GetProperty("message").Clone();
        var type = envelope.RootElement.GetProperty("messageType")[0].GetString()!.Split(':')[^1];
        All.Enqueue(new Event(type, message.GetProperty("requestId").GetGuid(), message.GetProperty("userId").GetString() ?? "", message));
        if (type == nameof(MemberCreated))
            Created.Enqueue(message.Deserialize<MemberCreated>(JsonSerializerOptions.Web)!);
        else if (type == nameof(MemberCreationFailed))
            Failed.Enqueue(message.Deserialize<MemberCreationFailed>(JsonSerializerOptions.Web)!);
    }

    public Task<MemberCreated> CreatedFor(Guid requestId, TimeSpan? timeout = null) =>
        Wait.For(() => Created.FirstOrDefault(c => c.RequestId == requestId), timeout, $"MemberCreated for {requestId}");

    public Task<MemberCreationFailed> FailedFor(Guid requestId, TimeSpan? timeout = null) =>
        Wait.For(() => Failed.FirstOrDefault(c => c.RequestId == requestId), timeout, $"MemberCreationFailed for {requestId}");

    public int CountFor(Guid requestId) => All.Count(e => e.RequestId == requestId);

    /// <summary>The outcome of any command type.</summary>
    public Task<Event> For(Guid requestId, TimeSpan? timeout = null) =>
        Wait.For(() => All.FirstOrDefault(e => e.RequestId == requestId), timeout, $"an outcome for {requestId}");

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
