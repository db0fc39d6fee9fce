using MassTransit;
using Provisioning.Consumer.Pipeline;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// Between the transport and the steps: tells them what the queue and the headers say of the delivery
/// (<see cref="Delivery"/>), and afterwards moves it where they asked: the wait queue, the held queue, or back to its
/// lane. Everything that reads a header or moves a message is here or below, in the transport.
/// </summary>
internal sealed class DeliveryFilter<TCommand>(CommandQueues queues, RetryParking parking, CorpLanes lanes) : IFilter<ConsumeContext<TCommand>>
    where TCommand : class
{
    public async Task Send(ConsumeContext<TCommand> context, IPipe<ConsumeContext<TCommand>> next)
    {
        var receive = context.ReceiveContext;
        var queue = CommandQueues.QueueOf(receive.InputAddress);
        var tier = RetryParking.TierOf(receive);
        var json = receive.ContentType?.MediaType == "application/json";
        var delivery = new Delivery
        {
            SentAt = TransportHeader.SentAt(context),
            SentAtField = json ? "timestamp" : "sentTime",
            GuardDecision = TransportHeader.GuardDecision(receive),
            // A lane queue is fed by the router, which screened the command; an input queue is screened here.
            Screened = queues.InputOfQueue(queue) is { } input && input != queue,
            LastTier = tier >= parking.Tiers.Count,
            HowItCame = HowItCame(receive, queue, tier),
        };
        context.AddOrUpdatePayload(() => delivery, _ => delivery);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await next.Send(context).ConfigureAwait(false);
        // A step that ended the command without the consumer (answered by the screen, a duplicate, a wait, a hold) has
        // dealt with it: without this MassTransit would take it for unconsumed and dead-letter it as well.
        if (!receive.IsDelivered)
            await context.NotifyConsumed(context, System.Diagnostics.Stopwatch.GetElapsedTime(started), "pipeline").ConfigureAwait(false);
        switch (delivery.Move)
        {
            case DeliveryMove.ToWaitQueue:
                await parking.DeferAsync(receive, context.CancellationToken).ConfigureAwait(false);
                break;
            case DeliveryMove.ToHeldQueue:
                await parking.HoldForGuardAsync(receive, context.CancellationToken).ConfigureAwait(false);
                break;
            case DeliveryMove.BackToLane:
                await lanes.HoldAsync(context, context.GetPayload<CommandTicket>().CorpId).ConfigureAwait(false);
                break;
        }
    }

    static string HowItCame(ReceiveContext context, string queue, int tier)
    {
        var parts = new List<string> { $"from {queue}" };
        if (TransportHeader.Text(context, ProvisioningHeaders.MovedFrom) is { } source)
            parts.Add($"put back from {source} by an operator");
        if (tier > 0)
            parts.Add($"back from retry tier {tier}");
        if (TransportHeader.GuardDecision(context) is { } decision)
            parts.Add($"{decision} by an operator");
        if (context.Redelivered)
            parts.Add("redelivered by the broker");
        return string.Join(", ", parts);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("delivery");
}
