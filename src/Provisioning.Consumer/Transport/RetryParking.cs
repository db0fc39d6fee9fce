using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Contracts;
using RabbitMQ.Client;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// Declares the parking queues and parks a delivery in one: the original body and properties, byte for byte (plain JSON
/// stays plain JSON), plus our own tier header. Published with a confirm before the original is acknowledged, so a
/// crash in between duplicates (absorbed by idempotency) and never loses.
/// </summary>
internal sealed partial class RetryParking(
    IOptions<RabbitMqOptions> rabbit,
    IOptions<RetryOptions> retry,
    IOptions<Operations.LifecycleOptions> lifecycle,
    CommandQueues queues,
    ILogger<RetryParking> logger) : IHostedService, IAsyncDisposable
{

    readonly SemaphoreSlim _gate = new(1, 1);
    readonly CancellationTokenSource _stopping = new();
    Task? _connecting;
    IConnection? _connection;
    IChannel? _channel;

    public IReadOnlyList<TimeSpan> Tiers { get; } = retry.Value.Tiers();

    public static int TierOf(ReceiveContext context) =>
        int.TryParse(TransportHeader.Text(context, ProvisioningHeaders.RetryTier), out var tier) ? tier : 0;

    /// <summary>Whether the parking queues are declared and the channel is open (for readiness).</summary>
    public bool IsReady => _channel is { IsOpen: true };

    /// <summary>
    /// Declares every parking queue (idempotent: same names, same arguments) in the background: an unreachable broker
    /// at start-up is retried, one log line per attempt, while readiness says so; it never stops the service.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _connecting = Task.Run(() => ConnectLoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    async Task ConnectLoopAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; !cancellationToken.IsCancellationRequested; attempt++)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await ChannelAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // MassTransit logs its own attempts to reach the broker: one warning here, then the rest at debug level.
                var reason = ex.GetBaseException().Message;
                if (attempt == 1)
                    LogBrokerUnreachable(logger, attempt, reason, delay);
                else
                    LogBrokerStillUnreachable(logger, attempt, reason, delay);
            }
            finally
            {
                _gate.Release();
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_connecting is not null)
            await _connecting.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Parks the delivery in its input queue's parking queue of tier <paramref name="tier"/> (0-based).</summary>
    public Task ParkAsync(ReceiveContext context, int tier, CancellationToken cancellationToken) =>
        MoveAsync(context, CommandQueueNames.Parking(InputOf(context), Tiers[tier]), tier + 1, cancellationToken);

    string InputOf(ReceiveContext context) =>
        queues.InputOfQueue(CommandQueues.QueueOf(context.InputAddress)) ?? throw new InvalidOperationException($"No command input queue for {context.InputAddress}.");

    /// <summary>
    /// Puts the delivery in its input queue's member-wait queue, from which it comes back after
    /// <see cref="Operations.LifecycleOptions.MemberWaitDelay"/>: an earlier command of its member has not ended. Not a
    /// retry: its tier stays as it was.
    /// </summary>
    /// <remarks>
    /// A plain-JSON message without an AMQP <c>timestamp</c> gets one here, when it first waits: from then on it carries
    /// when it arrived, which stands for its send time (how long a member not found yet is waited for).
    /// </remarks>
    public Task DeferAsync(ReceiveContext context, CancellationToken cancellationToken) =>
        MoveAsync(context, CommandQueueNames.Wait(InputOf(context), lifecycle.Value.MemberWaitDelay), tier: null, cancellationToken, stampArrival: true);

    /// <summary>
    /// Puts a disable or delete the deletion guard holds in its input queue's held queue (<c>{input}_held</c>): durable,
    /// never consumed, emptied only by an operator (<c>provisioning-cli held release|reject</c>).
    /// </summary>
    public Task HoldForGuardAsync(ReceiveContext context, CancellationToken cancellationToken) =>
        MoveAsync(context, CommandQueueNames.Held(InputOf(context)), tier: null, cancellationToken);

    /// <summary>How many commands each held queue holds now (for readiness).</summary>
    public async Task<IReadOnlyList<(string Queue, uint Count)>> CountHeldAsync(CancellationToken cancellationToken)
    {
        var counts = new List<(string, uint)>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
            foreach (var input in queues.Inputs)
            {
                var held = CommandQueueNames.Held(input);
                counts.Add((held, (await channel.QueueDeclarePassiveAsync(held, cancellationToken).ConfigureAwait(false)).MessageCount));
            }
        }
        finally
        {
            _gate.Release();
        }
        return counts;
    }

    /// <summary>
    /// Puts the delivery back at the tail of a queue (its enterprise's lane) unchanged: a held command keeps its retry
    /// tier and its place among the others held.
    /// </summary>
    public Task HoldAsync(ReceiveContext context, string queue, CancellationToken cancellationToken) =>
        MoveAsync(context, queue, tier: null, cancellationToken);

    async Task MoveAsync(ReceiveContext context, string queue, int? tier, CancellationToken cancellationToken, bool stampArrival = false)
    {
        var properties = context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbitContext)
            ? new BasicProperties(rabbitContext.Properties)
            : new BasicProperties { ContentType = context.ContentType?.MediaType };
        properties.Persistent = true;
        properties.Headers = properties.Headers is null ? [] : new Dictionary<string, object?>(properties.Headers);
        properties.Headers.Remove("x-death");
        if (stampArrival && !properties.IsTimestampPresent())
            properties.Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        if (tier is not null)
            properties.Headers[ProvisioningHeaders.RetryTier] = tier.Value;
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
        var options = rabbit.Value;
        _connection ??= await BrokerConnection.OpenAsync(options, "provisioning-consumer-retry", cancellationToken).ConfigureAwait(false);
        _channel = await _connection.CreateChannelAsync(BrokerConnection.Confirming, cancellationToken).ConfigureAwait(false);

        foreach (var input in queues.Inputs)
        {
            foreach (var delay in Tiers)
            {
                // Expired messages go through the default exchange straight back to their input queue.
                await _channel.QueueDeclareAsync(CommandQueueNames.Parking(input, delay), durable: true, exclusive: false, autoDelete: false,
                    ParkingArguments(delay, input, options.QueueType), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            await _channel.QueueDeclareAsync(CommandQueueNames.Held(input), durable: true, exclusive: false, autoDelete: false,
                options.QueueType == QueueType.Quorum ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            var wait = lifecycle.Value.MemberWaitDelay;
            await _channel.QueueDeclareAsync(CommandQueueNames.Wait(input, wait), durable: true, exclusive: false, autoDelete: false,
                ParkingArguments(wait, input, options.QueueType), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return _channel;
    }

    /// <summary>
    /// A parking queue's arguments. On quorum queues the expiry must dead-letter at least once (a message expiring during
    /// a leader change is never lost), which RabbitMQ allows only with <c>overflow=reject-publish</c>.
    /// </summary>
    internal static Dictionary<string, object?> ParkingArguments(TimeSpan delay, string inputQueue, QueueType queueType)
    {
        var arguments = new Dictionary<string, object?>
        {
            ["x-message-ttl"] = (long)delay.TotalMilliseconds,
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = inputQueue,
        };
        if (queueType == QueueType.Quorum)
        {
            arguments["x-queue-type"] = "quorum";
            arguments["x-dead-letter-strategy"] = "at-least-once";
            arguments["x-overflow"] = "reject-publish";
        }
        return arguments;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
            await _channel.DisposeAsync().ConfigureAwait(false);
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning,
        Message = "RabbitMQ not reachable for the retry parking queues (attempt {Attempt}): {Reason}; trying again in {Delay}")]
    static partial void LogBrokerUnreachable(ILogger logger, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug,
        Message = "RabbitMQ still not reachable for the retry parking queues (attempt {Attempt}): {Reason}; trying again in {Delay}")]
    static partial void LogBrokerStillUnreachable(ILogger logger, int attempt, string reason, TimeSpan delay);
}
