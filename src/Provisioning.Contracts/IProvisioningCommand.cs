namespace Provisioning.Contracts;

/// <summary>
/// What every command has, whatever entity it is about: its request, its enterprise, the entity's key and its
/// revision. The service orders, waits and wakes on (enterprise, entity key), so a member, a department or a tag is
/// handled alike. Not a message of its own: the bus keeps it out of the topology and of <c>messageType</c>, so a
/// command's exchange and envelope are what they were before it existed.
/// </summary>
public interface IProvisioningCommand
{
    /// <summary>Idempotency key chosen by the publisher.</summary>
    Guid RequestId { get; }

    /// <summary>Which configured enterprise; absent means the default one.</summary>
    string? CorpId { get; }

    /// <summary>The entity the command is about, as its publisher names it: a member's userid.</summary>
    string EntityKey { get; }

    /// <summary>The command's revision at its source, if it has one.</summary>
    long? Version { get; }
}
