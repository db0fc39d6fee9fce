using Provisioning.Operations;

namespace Provisioning.Consumer.Pipeline;

/// <summary>
/// Somewhere an outcome goes besides the bus's own events: implemented by the transport (the plain-JSON exchange), so
/// the pipeline publishes without knowing exchanges.
/// </summary>
internal interface IOutcomeCopy
{
    Task PublishAsync(Outcome outcome, bool replay, CancellationToken cancellationToken);
}
