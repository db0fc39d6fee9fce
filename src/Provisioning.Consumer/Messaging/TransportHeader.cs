using MassTransit;

namespace Provisioning.Consumer.Messaging;

internal static class TransportHeader
{
    /// <summary>A transport header of ours as text (RabbitMQ hands strings over as bytes), or null when absent.</summary>
    public static string? Text(ReceiveContext context, string name) =>
        context.TransportHeaders.TryGetHeader(name, out var value) && value is not null
            ? value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : value.ToString()
            : null;
}
