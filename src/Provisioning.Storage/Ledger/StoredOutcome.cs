namespace Provisioning.Storage;

/// <summary>The outcome event a request ended with, kept as published so that a duplicate gets the same answer.</summary>
/// <param name="MessageType">"MemberCreated" or "MemberCreationFailed".</param>
/// <param name="Json">The event, serialized (camelCase JSON).</param>
public sealed record StoredOutcome(string MessageType, string Json);
