namespace Provisioning.Consumer.Operations;

/// <summary>What the pipeline needs of any command: its request, its enterprise as given, its member and its version.</summary>
internal readonly record struct CommandKey(Guid RequestId, string? CorpId, string UserId, long? Version);
