namespace Provisioning.Operations;

/// <summary>
/// What the pipeline needs of any command: its request, its enterprise as given, its member and its version. Kept as a
/// payload of the delivery, for what logs it outside the consumer (parking).
/// </summary>
internal sealed record CommandKey(Guid RequestId, string? CorpId, string UserId, long? Version)
{
    public static CommandKey Of(Contracts.IProvisioningCommand command) => new(command.RequestId, command.CorpId, command.EntityKey, command.Version);
}
