using Provisioning.Contracts;
using MassTransit;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// The error ("_error") and dead-letter ("_skipped") queues of a command type's input endpoint and of every one of its
/// lanes are one queue, <c>{input}_error</c>: one place per command type to watch and replay from, whatever lane a
/// command failed in.
/// </summary>
internal sealed class LaneQueueNames(CommandQueues queues) : IErrorQueueNameFormatter, IDeadLetterQueueNameFormatter
{
    public string FormatErrorQueueName(string queueName) => ErrorQueueOf(queueName);

    public string FormatDeadLetterQueueName(string queueName) => ErrorQueueOf(queueName);

    string ErrorQueueOf(string queueName) => CommandQueueNames.Error(queues.InputOfQueue(queueName) ?? queueName);
}
