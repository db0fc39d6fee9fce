using MassTransit;

namespace Provisioning.Consumer.Messaging;

/// <summary>
/// The error ("_error") and dead-letter ("_skipped") queues of the input endpoint and of every lane are one queue,
/// <c>{input}_error</c>: one place to watch and replay from, whatever lane a command failed in.
/// </summary>
internal sealed class LaneQueueNames(string inputQueue) : IErrorQueueNameFormatter, IDeadLetterQueueNameFormatter
{
    public string FormatErrorQueueName(string queueName) => ErrorQueueOf(queueName);

    public string FormatDeadLetterQueueName(string queueName) => ErrorQueueOf(queueName);

    string ErrorQueueOf(string queueName) =>
        queueName.StartsWith(inputQueue + ".", StringComparison.Ordinal) ? inputQueue + "_error" : queueName + "_error";
}
