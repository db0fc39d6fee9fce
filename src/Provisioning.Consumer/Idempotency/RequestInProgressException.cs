namespace Provisioning.Consumer.Idempotency;

/// <summary>Another delivery is working on this request under a live lease: this one is retried later, not failed.</summary>
public sealed class RequestInProgressException(IdempotencyKey key, DateTimeOffset leaseExpiresAt)
    : Exception($"Request {key.RequestId} of corp {key.CorpId} is in progress elsewhere until {leaseExpiresAt:O}")
{
    public DateTimeOffset LeaseExpiresAt { get; } = leaseExpiresAt;
}
