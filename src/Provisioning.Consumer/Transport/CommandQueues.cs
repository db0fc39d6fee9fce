using Microsoft.Extensions.Options;
using Provisioning.Contracts;
using Provisioning.Consumer.Pipeline;

namespace Provisioning.Consumer.Transport;

/// <summary>
/// One input queue per command type, bound to that type's exchange: <c>create-member</c> (<c>Consumer:QueueName</c>),
/// <c>update-member</c>, <c>disable-member</c>, <c>enable-member</c>, <c>delete-member</c>, <c>sync-member</c>. A plain-JSON
/// message carries no type, so the queue it is sent to is its type: each queue has exactly one consumer, and a message
/// reaches exactly one. Every input has its lanes (<c>{input}.{corpId}</c>), parking queues and error queue.
/// </summary>
internal sealed class CommandQueues(IOptions<ConsumerOptions> consumer)
{
    // The contracts' default names, but for the create queue, which is configurable.
    readonly Dictionary<Type, string> _inputs = CommandQueueNames.Defaults.ToDictionary(
        input => input.Key, input => input.Key == typeof(CreateMember) ? consumer.Value.QueueName : input.Value);

    /// <summary>Every input queue.</summary>
    public IReadOnlyCollection<string> Inputs => _inputs.Values;

    public string InputOf<TCommand>() => _inputs[typeof(TCommand)];

    public string InputOf(Type command) => _inputs[command];

    /// <summary>The input queue a queue belongs to: itself, or the input of a lane (<c>{input}.{corpId}</c>); null for others.</summary>
    public string? InputOfQueue(string queue) => CommandQueueNames.InputOf(queue, _inputs.Values);

    /// <summary>The queue name of an endpoint address.</summary>
    public static string QueueOf(Uri address) => address.AbsolutePath.Split('/')[^1];
}
