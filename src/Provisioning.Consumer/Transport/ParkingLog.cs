namespace Provisioning.Consumer.Transport;

internal static partial class ParkingLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning,
        Message = "Member {UserId} (request {RequestId}) parked from {Queue} for {Delay} (retry tier {Tier}) after: {Reason}")]
    public static partial void Parked(ILogger logger, string userId, Guid requestId, string queue, TimeSpan delay, int tier, string reason);
}
