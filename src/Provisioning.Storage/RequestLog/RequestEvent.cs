namespace Provisioning.Storage.RequestLog;

/// <summary>The kinds of step a request goes through, as the log and its console name them.</summary>
internal static class RequestEventKinds
{
    public const string Received = "received";
    public const string Waiting = "waiting";
    public const string Parked = "parked";
    public const string Held = "held";
    public const string DeadLettered = "dead-lettered";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Duplicate = "duplicate";
}

/// <summary>A request's status in the log: where it is now.</summary>
internal static class RequestStatuses
{
    public const string InProgress = "in_progress";
    public const string Waiting = "waiting";
    public const string Parked = "parked";
    public const string Held = "held";
    public const string DeadLettered = "dead_lettered";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [InProgress, Waiting, Parked, Held, DeadLettered, Succeeded, Failed];
}

/// <summary>The person as the log keeps them: name, and contact details masked (<see cref="PersonalData"/>).</summary>
internal sealed record PersonSnapshot(string? Name, string? MaskedMobile, string? MaskedEmail);

/// <summary>
/// One step of one request, as recorded: what happened, when, and what the step says (tier, attempts, reason, errcode,
/// a one-line detail). Never a secret, never a full mobile or email.
/// </summary>
internal sealed record RequestEvent(
    Guid RequestId,
    string CorpId,
    string UserId,
    string Operation,
    string Kind,
    DateTimeOffset At)
{
    public string? Detail { get; init; }

    public int? Attempts { get; init; }

    public int? Tier { get; init; }

    /// <summary>The outcome event's type (MemberCreated, MemberCreationFailed, …), for ended requests.</summary>
    public string? Outcome { get; init; }

    public string? Reason { get; init; }

    public int? ErrCode { get; init; }

    public PersonSnapshot? Person { get; init; }
}
