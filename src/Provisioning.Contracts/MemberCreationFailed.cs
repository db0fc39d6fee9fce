namespace Provisioning.Contracts;

/// <summary>Event: the member of <see cref="CreateMember"/> was not created, and will not be without a new command.</summary>
public sealed record MemberCreationFailed
{
    /// <summary>The command's <see cref="CreateMember.RequestId"/> (<see cref="Guid.Empty"/> when the command had none).</summary>
    public Guid RequestId { get; init; }

    /// <summary>The enterprise the command was for (the default corp id when the command named none).</summary>
    public string CorpId { get; init; } = "";

    /// <summary>The userid the command asked for.</summary>
    public string UserId { get; init; } = "";

    /// <summary>Why, one of <see cref="FailureReasons"/>.</summary>
    public string Reason { get; init; } = "";

    /// <summary>WeCom's <c>errcode</c>, when WeCom answered.</summary>
    public int? ErrCode { get; init; }

    /// <summary>WeCom's <c>errmsg</c>, verbatim (it carries the hint id WeCom support asks for).</summary>
    public string? ErrMsg { get; init; }

    /// <summary>Each broken validation rule, naming its field. Empty unless <see cref="Reason"/> is <see cref="FailureReasons.Invalid"/>.</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>How many times the command was attempted, this one included.</summary>
    public int Attempts { get; init; }

    /// <summary>When the outcome was decided.</summary>
    public DateTimeOffset OccurredAt { get; init; }
}
