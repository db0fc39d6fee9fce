using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Consumers;
using RabbitMQ.Client;

namespace Provisioning.Consumer.Messaging;

/// <summary>
/// Declares the parking queues and parks a delivery in one: the original body and properties, byte for byte (plain JSON
/// stays plain JSON), plus our own tier header. Published with a confirm before the original is acknowledged, so a
/// crash in between duplicates (absorbed by idempotency) and never loses.
/// </summary>
internal sealed class RetryParking(IOptions<RabbitMqOptions> rabbit, IOptions<RetryOptions> retry, IOptions<ConsumerOptions> consumer)
    : IHostedService, IAsyncDisposable
{
    /// <summary>How many times the delivery has been parked so far (our own count: <c>x-death</c> is the broker's).</summary>
    public const string TierHeader = "Provisioning-Retry-Tier";

    readonly SemaphoreSlim _gate = new(1, 1);
    IConnection? _connection;
    IChannel? _channel;

    public IReadOnlyList<TimeSpan> Tiers => retry.Value.Tiers;

    public static int TierOf(ReceiveContext context) =>
        context.TransportHeaders.TryGetHeader(TierHeader, out var value) && value is not null &&
        int.TryParse(value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : value.ToString(), out var tier) ? tier : 0;

    /// <summary>Declares every parking queue at start-up (idempotent: same names, same arguments).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ChannelAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Parks the delivery in the queue of tier <paramref name="tier"/> (0-based).</summary>
    public async Task ParkAsync(ReceiveContext context, int tier, CancellationToken cancellationToken)
    {
        var queue = RetryOptions.ParkingQueue(consumer.Value.QueueName, Tiers[tier]);
        var properties = context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbitContext)
            ? new BasicProperties(rabbitContext.Properties)
            : new BasicProperties { ContentType = context.ContentType?.MediaType };
        properties.Persistent = true;
        properties.Headers = properties.Headers is null ? [] : new Dictionary<string, object?>(properties.Headers);
        properties.Headers.Remove("x-death");
        properties.Headers[TierHeader] = tier + 1;
        var body = context.Body.GetBytes();

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, body, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
            return _channel;
        _connection ??= await new ConnectionFactory
        {
            Uri = new Uri(rabbit.Value.ConnectionString!),
            ClientProvidedName = "provisioning-consumer-retry",
            AutomaticRecoveryEnabled = true,
        }.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);

        var input = consumer.Value.QueueName;
        foreach (var delay in Tiers)
        {
            // Expired messages go through the default exchange straight back to the input queue.
            await _channel.QueueDeclareAsync(RetryOptions.ParkingQueue(input, delay), durable: true, exclusive: false, autoDelete: false,
                new Dictionary<string, object?>
                {
                    ["x-message-ttl"] = (long)delay.TotalMilliseconds,
                    ["x-dead-letter-exchange"] = "",
                    ["x-dead-letter-routing-key"] = input,
                }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return _channel;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
            await _channel.DisposeAsync().ConfigureAwait(false);
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
