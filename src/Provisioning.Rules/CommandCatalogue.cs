using Provisioning.Contracts;

namespace Provisioning.Rules;

/// <summary>
/// The one list of commands. Adding a command family (departments, tags) means its contracts, a descriptor here with its
/// rules, and its operation in Provisioning.Operations: registration, queues, screening, outcomes, the provisioning log and the CLI
/// follow from this list.
/// </summary>
public static class CommandCatalogue
{
    public static IReadOnlyList<CommandDescriptor> All { get; } =
    [
        Member<CreateMember, MemberCreated, MemberCreationFailed>("create", MemberRules.Validate),
        Member<UpdateMember, MemberUpdated, MemberUpdateFailed>("update", MemberRules.Validate, update => update.Enable == false),
        Member<DisableMember, MemberDisabled, MemberDisableFailed>("disable", disable => MemberRules.Validate(disable.RequestId, disable.UserId), _ => true),
        Member<EnableMember, MemberEnabled, MemberEnableFailed>("enable", enable => MemberRules.Validate(enable.RequestId, enable.UserId)),
        Member<DeleteMember, MemberDeleted, MemberDeletionFailed>("delete", delete => MemberRules.Validate(delete.RequestId, delete.UserId), _ => true),
        Member<SyncMember, MemberSynced, MemberSyncFailed>("sync", MemberRules.Validate, sync => sync.Enable == false),
    ];

    static readonly Dictionary<Type, CommandDescriptor> ByType = All.ToDictionary(descriptor => descriptor.Command);

    static readonly Dictionary<string, CommandDescriptor> ByTypeName = All.ToDictionary(descriptor => descriptor.Command.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The descriptor of a command type.</summary>
    /// <exception cref="KeyNotFoundException">Not a command of the catalogue.</exception>
    public static CommandDescriptor Of(Type command) =>
        ByType.TryGetValue(command, out var descriptor) ? descriptor : throw new KeyNotFoundException($"{command.Name} is not a command of the catalogue");

    public static CommandDescriptor Of<TCommand>() => Of(typeof(TCommand));

    /// <summary>The descriptor of a command type's name (<c>CreateMember</c>, ignoring case), if there is one.</summary>
    public static CommandDescriptor? Named(string typeName) => ByTypeName.GetValueOrDefault(typeName);

    /// <summary>Every success and failure event.</summary>
    public static IReadOnlyList<Type> Outcomes { get; } = [.. All.SelectMany(descriptor => new[] { descriptor.Succeeded, descriptor.Failed })];

    static CommandDescriptor Member<TCommand, TSucceeded, TFailed>(string name, Func<TCommand, IReadOnlyList<FieldError>> rules,
        Func<TCommand, bool>? removesWhen = null)
        where TCommand : IProvisioningCommand
        where TSucceeded : MemberCommandSucceeded
        where TFailed : MemberCommandFailed, new() => new()
        {
            Command = typeof(TCommand),
            Name = name,
            Entity = "member",
            Succeeded = typeof(TSucceeded),
            Failed = typeof(TFailed),
            Rules = command => rules((TCommand)command),
            RemovesWhen = removesWhen is null ? null : command => removesWhen((TCommand)command),
            NewFailure = () => new TFailed(),
        };
}
