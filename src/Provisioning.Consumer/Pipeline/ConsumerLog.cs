namespace Provisioning.Consumer.Pipeline;

/// <summary>The consumer's log lines. No mobile, email, token or secret is ever a parameter here.</summary>
internal static partial class ConsumerLog
{
    // Debug: at WeCom's pace this is 165 lines a second per enterprise; failures stay at Warning, and the outcome events
    // (and their counters) are the record of every command.
    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug,
        Message = "{Operation} of member {UserId} in corp {CorpId} applied (request {RequestId}, attempt {Attempts})")]
    public static partial void CommandApplied(ILogger logger, string operation, string userId, string corpId, Guid requestId, int attempts);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Message {MessageId} repeats a request that has ended: its stored {OutcomeType} was published again")]
    public static partial void OutcomeReplayed(ILogger logger, Guid? messageId, string outcomeType);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "WeCom created placeholder departments {DepartmentIds} for member {UserId} in corp {CorpId}: those department ids did not exist")]
    public static partial void PlaceholderDepartments(ILogger logger, string userId, string corpId, string departmentIds);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning,
        Message = "{Operation} of member {UserId} in corp {CorpId} applied with warnings: {Warnings}")]
    public static partial void AppliedWithWarnings(ILogger logger, string operation, string userId, string corpId, string warnings);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "{Operation} of member {UserId} in corp {CorpId} failed (request {RequestId}): {Reason}: {Detail}")]
    public static partial void CommandFailed(ILogger logger, string operation, string userId, string corpId, Guid requestId, string reason, string detail);
}
