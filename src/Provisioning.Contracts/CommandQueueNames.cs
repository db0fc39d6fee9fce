namespace Provisioning.Contracts;

/// <summary>
/// Where each command travels on RabbitMQ: its exchange (MassTransit's name for the message type, which a plain-JSON
/// publisher sends to) and the consumer's input queue bound to it, by default (the create queue is configurable as
/// <c>Consumer:QueueName</c>).
/// </summary>
public static class CommandQueueNames
{
    /// <summary>The input queue of each command type, as the consumer declares it by default.</summary>
    public static IReadOnlyDictionary<Type, string> Defaults { get; } = new Dictionary<Type, string>
    {
        [typeof(CreateMember)] = "create-member",
        [typeof(UpdateMember)] = "update-member",
        [typeof(DisableMember)] = "disable-member",
        [typeof(EnableMember)] = "enable-member",
        [typeof(DeleteMember)] = "delete-member",
        [typeof(SyncMember)] = "sync-member",
    };

    /// <summary>The exchange a command type is published to: <c>Provisioning.Contracts:CreateMember</c>, …</summary>
    public static string Exchange(Type commandType) => $"{commandType.Namespace}:{commandType.Name}";

    /// <summary>The default input queue of a command type.</summary>
    /// <exception cref="KeyNotFoundException">Not a member command.</exception>
    public static string Queue(Type commandType) => Defaults[commandType];
}
