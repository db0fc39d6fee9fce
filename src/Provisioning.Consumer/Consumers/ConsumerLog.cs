namespace Provisioning.Consumer.Consumers;

/// <summary>The consumer's log lines. No mobile, email, token or secret is ever a parameter here.</summary>
internal static partial class ConsumerLog
{
    // Debug: at WeCom's pace this is 165 lines a second per enterprise; failures stay at Warning, and the outcome events
    // (and their counters) are the record of every creation.
    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug,
        Message = "Member {UserId} created in corp {CorpId} (request {RequestId}, already existed: {AlreadyExisted}, placeholder departments: {PlaceholderDepartments}, attempt {Attempts})")]
    public static partial void MemberCreated(ILogger logger, string userId, string corpId, Guid requestId, bool alreadyExisted, int placeholderDepartments, int attempts);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Message {MessageId} repeats a request that has ended: its stored {OutcomeType} was published again")]
    public static partial void OutcomeReplayed(ILogger logger, Guid? messageId, string outcomeType);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "WeCom created placeholder departments {DepartmentIds} for member {UserId} in corp {CorpId}: those department ids did not exist")]
    public static partial void PlaceholderDepartments(ILogger logger, string userId, string corpId, string departmentIds);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Member {UserId} not created in corp {CorpId} (request {RequestId}): {Reason}: {Detail}")]
    public static partial void MemberFailed(ILogger logger, string userId, string corpId, Guid requestId, string reason, string detail);
}
