using MassTransit;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Messaging;

/// <summary>
/// A lane's gate: a command enters only with a slot of its enterprise's pace (<see cref="CorpPace"/>), before its
/// idempotency claim, so the commands waiting beyond the adaptive limit hold no lease and no WeCom connection.
/// </summary>
internal sealed class CorpPaceFilter(CorpPace pace) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        using var slot = await pace.EnterAsync(context.CancellationToken).ConfigureAwait(false);
        PaceSlot.Current = slot;
        await next.Send(context).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("corpPace");
        scope.Add("corpId", pace.CorpId);
        scope.Add("limit", pace.Limit);
    }
}
