namespace Provisioning.Consumer.Messaging;

internal static partial class ParkingLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning,
        Message = "Message {MessageId} from {Queue} parked for {Delay} (retry tier {Tier}) after: {Reason}")]
    public static partial void Parked(ILogger logger, Guid? messageId, string queue, TimeSpan delay, int tier, string reason);
}
