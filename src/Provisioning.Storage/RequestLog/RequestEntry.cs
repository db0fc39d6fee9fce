namespace Provisioning.Storage.RequestLog;

/// <summary>One request as the log holds it now (the API's and the console's row).</summary>
public sealed record RequestEntry
{
    public Guid RequestId { get; init; }

    public string CorpId { get; init; } = "";

    public string UserId { get; init; } = "";

    /// <summary>create, update, disable, enable, delete, sync.</summary>
    public string Operation { get; init; } = "";

    /// <summary>in_progress, waiting, parked, held, dead_lettered, succeeded, failed.</summary>
    public string Status { get; init; } = "";

    public DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>How many times the command was delivered to a consumer (retries, waits and replays included).</summary>
    public int Deliveries { get; init; }

    /// <summary>How many WeCom calls were made for it, over every delivery.</summary>
    public int Attempts { get; init; }

    /// <summary>The highest retry tier it was parked in (0: never parked).</summary>
    public int ParkingTier { get; init; }

    public DateTimeOffset? DeadLetteredAt { get; init; }

    /// <summary>The outcome event's type, once ended.</summary>
    public string? Outcome { get; init; }

    public string? Reason { get; init; }

    public int? ErrCode { get; init; }

    /// <summary>WeCom's errmsg or our own explanation, or what the success said (already existed, warnings).</summary>
    public string? Message { get; init; }

    public string? Name { get; init; }

    /// <summary>Masked: 138****8000.</summary>
    public string? Mobile { get; init; }

    /// <summary>Masked: z***@example.com.</summary>
    public string? Email { get; init; }
}

/// <summary>One step of a request's history.</summary>
public sealed record RequestStep(DateTimeOffset At, string Kind, string? Detail);

/// <summary>A request and every step of it, oldest first.</summary>
public sealed record RequestDetail(RequestEntry Request, IReadOnlyList<RequestStep> Steps);

/// <summary>A page of requests, newest first.</summary>
public sealed record RequestPage(IReadOnlyList<RequestEntry> Items, int Page, int PageSize, long Total);

/// <summary>How many requests failed for one reason in one time bucket (the console's chart).</summary>
public sealed record FailureCount(DateTimeOffset BucketStart, string Reason, long Count);

/// <summary>One line of the audit log: who did what, when, from where, and how it went.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Role, string Action, string Target, string Result, string? Remote);

/// <summary>The filters of the request list; each one left empty does not filter.</summary>
public sealed record RequestQuery
{
    public string? CorpId { get; init; }

    public string? Status { get; init; }

    public string? Reason { get; init; }

    public int? ErrCode { get; init; }

    /// <summary>Received at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Received before.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Userids starting with this, ignoring case.</summary>
    public string? UserIdPrefix { get; init; }

    public string? Operation { get; init; }

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 50;

    public const int MaxPageSize = 500;
}
