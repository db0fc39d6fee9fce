using MassTransit;

namespace Provisioning.Consumer.Transport;

internal static class TransportHeader
{
    /// <summary>A transport header of ours as text (RabbitMQ hands strings over as bytes), or null when absent.</summary>
    public static string? Text(ReceiveContext context, string name) =>
        context.TransportHeaders.TryGetHeader(name, out var value) && value is not null
            ? value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : value.ToString()
            : null;

    /// <summary>What an operator decided for a command the deletion guard held, from its <c>Provisioning-Guard</c> header.</summary>
    public static string? GuardDecision(ReceiveContext context) => Text(context, Contracts.ProvisioningHeaders.Guard);

    /// <summary>
    /// The AMQP <c>timestamp</c> of a RabbitMQ delivery, or null. AMQP 0-9-1 says seconds, which other languages' clients
    /// write; some write milliseconds. A value above 10^11 is taken as milliseconds (as seconds it would be the year
    /// 5138; as milliseconds, 1973). MassTransit's own reading takes every timestamp as milliseconds, which put a
    /// seconds one in January 1970 and made every grace counted from it run out at once.
    /// </summary>
    public static DateTimeOffset? AmqpTimestamp(ReceiveContext context) =>
        context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) && rabbit.Properties.IsTimestampPresent()
            ? rabbit.Properties.Timestamp.UnixTime > 100_000_000_000
                ? DateTimeOffset.FromUnixTimeMilliseconds(rabbit.Properties.Timestamp.UnixTime)
                : DateTimeOffset.FromUnixTimeSeconds(rabbit.Properties.Timestamp.UnixTime)
            : null;

    /// <summary>
    /// When the command was sent: the envelope's sent time for MassTransit publishers, the AMQP <c>timestamp</c> for plain
    /// JSON (whose MassTransit "sent time" would be read out of an arbitrary message id), else unknown.
    /// </summary>
    public static DateTimeOffset? SentAt(ConsumeContext context) =>
        context.ReceiveContext.ContentType?.MediaType == "application/json"
            ? AmqpTimestamp(context.ReceiveContext)
            : context.SentTime is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
}
