using Provisioning.Contracts;

namespace Provisioning.Rules;

/// <summary>
/// What the service knows of one command type, read by everything that handles commands generically: the consumer's
/// registration, endpoints and queues, its screening and outcome events, the provisioning log, the CLI's command files
/// and its replay of held commands. See <see cref="CommandCatalogue"/>.
/// </summary>
public sealed record CommandDescriptor
{
    /// <summary>The command, e.g. <see cref="CreateMember"/>.</summary>
    public required Type Command { get; init; }

    /// <summary>Its short name for logs, metrics and the console: <c>create</c>, <c>update</c>, …</summary>
    public required string Name { get; init; }

    /// <summary>What the entity key names, in messages: "member".</summary>
    public required string Entity { get; init; }

    /// <summary>The event of its success.</summary>
    public required Type Succeeded { get; init; }

    /// <summary>The event of its failure.</summary>
    public required Type Failed { get; init; }

    /// <summary>Its default input queue (<see cref="CommandQueueNames"/>).</summary>
    public string Queue => CommandQueueNames.Queue(Command);

    /// <summary>Whether the command may remove an entity (a disable, a delete): the deletion guard counts those it does.</summary>
    public bool MayRemove => RemovesWhen is not null;

    /// <summary>Whether this command removes its entity; null when the type never does.</summary>
    public Func<IProvisioningCommand, bool>? RemovesWhen { get; init; }

    /// <summary>Every broken rule, all at once; pure (no I/O, no configuration).</summary>
    public required Func<IProvisioningCommand, IReadOnlyList<FieldError>> Rules { get; init; }

    /// <summary>A blank failure event of its type.</summary>
    public required Func<MemberCommandFailed> NewFailure { get; init; }

    /// <summary>Whether this command removes its entity.</summary>
    public bool Removes(IProvisioningCommand command) => RemovesWhen?.Invoke(command) ?? false;
}
