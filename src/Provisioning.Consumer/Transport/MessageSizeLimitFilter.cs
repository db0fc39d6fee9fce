using MassTransit;
using MassTransit.Transports;
using Provisioning.Consumer.Pipeline;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// Refuses a message body over <see cref="ConsumerOptions.MaxMessageBytes"/> before it is deserialized: a few
/// multi-megabyte messages must not take the consumer's memory. The body is moved unread to the error queue (the
/// dead-letter transport, named by <see cref="LaneQueueNames"/>) with the reason in <c>MT-Reason</c>, and acknowledged.
/// Throwing here instead would be a transport fault: MassTransit would redeliver the message for ever.
/// </summary>
internal sealed class MessageSizeLimitFilter(int maxBytes) : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        var length = context.Body.Length ?? 0;
        if (length <= maxBytes)
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }
        if (!context.TryGetPayload(out IDeadLetterTransport? transport))
            throw new InvalidOperationException("The dead-letter transport is not available on the receive context.");
        await transport.Send(context, $"too large: the message body has {length} bytes, over the limit of {maxBytes} (Consumer:MaxMessageBytes); not read")
            .ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("messageSizeLimit");
}
