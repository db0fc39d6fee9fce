using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Operations;
using Provisioning.Contracts;
using RabbitMQ.Client;
using Provisioning.Consumer.Pipeline;

namespace Provisioning.Consumer.Transport;

/// <summary>Section <c>Outcomes</c>: how outcomes are published besides MassTransit's envelope.</summary>
public sealed class OutcomeOptions
{
    public const string SectionName = "Outcomes";

    /// <summary>
    /// When set, every outcome is also published as plain JSON (the event alone, camelCase, <c>application/json</c>) to
    /// this durable topic exchange, with the event type as routing key (<c>MemberCreated</c>, <c>MemberCreationFailed</c>, …):
    /// for subscribers that do not want the envelope. Bind with <c>#</c> for all, or with the types you need.
    /// </summary>
    public string? PlainJsonExchange { get; set; }
}

/// <summary>
/// Publishes outcomes as plain JSON to <see cref="OutcomeOptions.PlainJsonExchange"/> on a channel of its own, with a
/// broker confirm; a failure is logged and does not fail the command (the envelope outcome is the one promised). The
/// exchange is declared as soon as the bus is connected, so that subscribers can bind before the first outcome.
/// </summary>
internal sealed partial class PlainJsonOutcomes(IOptions<OutcomeOptions> options, IOptions<RabbitMqOptions> rabbit, ILogger<PlainJsonOutcomes> logger)
    : IBusObserver, IOutcomeCopy, IAsyncDisposable
{
    static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;
    readonly SemaphoreSlim _gate = new(1, 1);
    IConnection? _connection;
    IChannel? _channel;

    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.PlainJsonExchange);

    public async Task PublishAsync(Outcome outcome, bool replay, CancellationToken cancellationToken)
    {
        if (!Enabled)
            return;
        var type = outcome.Event.GetType().Name;
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            Persistent = true,
            Type = type,
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Headers = new Dictionary<string, object?> { ["Provisioning-Outcome"] = type },
        };
        if (replay)
            properties.Headers[ProvisioningHeaders.Replay] = true;
        var body = JsonSerializer.SerializeToUtf8Bytes(outcome.Event, outcome.Event.GetType(), Json);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
            await channel.BasicPublishAsync(options.Value.PlainJsonExchange!, type, mandatory: false, properties, body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, type, options.Value.PlainJsonExchange!, ex.GetBaseException().Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// When the bus is connected, the broker is reachable: declare the exchange then (not at the first outcome). Not
    /// awaited by the start, which never waits for the broker; a failure here is declared again by the first publish.
    /// </summary>
    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        if (Enabled)
            _ = DeclareWhenReadyAsync(busReady);
        return Task.CompletedTask;
    }

    async Task DeclareWhenReadyAsync(Task<BusReady> busReady)
    {
        try
        {
            await busReady.ConfigureAwait(false);
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await ChannelAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception ex)
        {
            LogDeclareFailed(logger, options.Value.PlainJsonExchange!, ex.GetBaseException().Message);
        }
    }

    async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
            return _channel;
        _connection ??= await BrokerConnection.OpenAsync(rabbit.Value, "provisioning-consumer-outcomes", cancellationToken).ConfigureAwait(false);
        _channel = await _connection.CreateChannelAsync(BrokerConnection.Confirming, cancellationToken).ConfigureAwait(false);
        await _channel.ExchangeDeclareAsync(options.Value.PlainJsonExchange!, ExchangeType.Topic, durable: true, autoDelete: false,
            cancellationToken: cancellationToken).ConfigureAwait(false);
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

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning,
        Message = "Could not declare the plain-JSON outcome exchange {Exchange} at start-up ({Reason}); the first outcome declares it")]
    static partial void LogDeclareFailed(ILogger logger, string exchange, string reason);

    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning,
        Message = "Could not publish the plain-JSON {Type} to exchange {Exchange} ({Reason}); the enveloped outcome was published")]
    static partial void LogFailed(ILogger logger, string type, string exchange, string reason);
}
