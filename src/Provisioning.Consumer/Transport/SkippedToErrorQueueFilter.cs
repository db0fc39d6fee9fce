using MassTransit;
using MassTransit.Transports;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// A message no consumer takes (a missing or unknown message type) goes to the error queue operators watch, with the
/// reason in <c>MT-Reason</c>, not to MassTransit's <c>_skipped</c> queue (see <see cref="LaneQueueNames"/>).
/// </summary>
internal sealed class SkippedToErrorQueueFilter : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        if (!context.TryGetPayload(out IDeadLetterTransport? transport))
            throw new InvalidOperationException("The dead-letter transport is not available on the receive context.");
        await transport.Send(context, Reason(context)).ConfigureAwait(false);
        await next.Send(context).ConfigureAwait(false);
    }

    static string Reason(ReceiveContext context)
    {
        var types = MessageTypes(context);
        return types.Count == 0
            ? "skipped: the message names no message type, so no consumer takes it"
            : $"skipped: no consumer takes message type {string.Join(", ", types)} (expected urn:message:Provisioning.Contracts:CreateMember)";
    }

    // The envelope's "messageType" array, read from the body (already within the size limit) without deserializing it.
    static List<string> MessageTypes(ReceiveContext context)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(context.Body.GetBytes());
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object &&
                document.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == System.Text.Json.JsonValueKind.Array
                    ? types.EnumerateArray().Select(t => t.ToString()).Take(5).ToList()
                    : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("skippedToErrorQueue");
}
