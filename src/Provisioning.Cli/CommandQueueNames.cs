using Provisioning.Contracts;

namespace Provisioning.Cli;

/// <summary>Where each command type travels: its exchange (MassTransit's name for the message type) and the consumer's queue.</summary>
internal static class CommandQueueNames
{
    public static string Exchange(Type commandType) => $"{commandType.Namespace}:{commandType.Name}";

    /// <summary>The consumer's input queue by default (create-member is <c>Consumer:QueueName</c> there).</summary>
    public static string Queue(Type commandType) => commandType.Name switch
    {
        nameof(CreateMember) => "create-member",
        nameof(UpdateMember) => "update-member",
        nameof(DisableMember) => "disable-member",
        nameof(EnableMember) => "enable-member",
        nameof(DeleteMember) => "delete-member",
        nameof(SyncMember) => "sync-member",
        _ => throw new ArgumentOutOfRangeException(nameof(commandType), commandType.Name, "not a member command"),
    };
}
