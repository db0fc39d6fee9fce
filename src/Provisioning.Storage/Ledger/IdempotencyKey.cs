namespace Provisioning.Storage;

/// <summary>What makes two commands the same request: the enterprise and the publisher's request id.</summary>
public readonly record struct IdempotencyKey(string CorpId, Guid RequestId);
