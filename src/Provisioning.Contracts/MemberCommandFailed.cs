namespace Provisioning.Contracts;

/// <summary>
/// The shape of every failure event, one per command type (<see cref="MemberCreationFailed"/>, <see cref="MemberUpdateFailed"/>,
/// …): the command was not applied, and will not be without a new command. Subscribe to this type to receive them all.
/// </summary>
public abstract record MemberCommandFailed
{
    /// <summary>The command's request id (<see cref="Guid.Empty"/> when the command had none).</summary>
    public Guid RequestId { get; init; }

    /// <summary>The enterprise the command was for (the default corp id when the command named none).</summary>
    public string CorpId { get; init; } = "";

    /// <summary>The userid the command named.</summary>
    public string UserId { get; init; } = "";

    /// <summary>Why, one of <see cref="FailureReasons"/>.</summary>
    public string Reason { get; init; } = "";

    /// <summary>WeCom's <c>errcode</c>, when WeCom answered.</summary>
    public int? ErrCode { get; init; }

    /// <summary>WeCom's <c>errmsg</c> verbatim (it carries the hint id WeCom support asks for), or our own explanation.</summary>
    public string? ErrMsg { get; init; }

    /// <summary>Each broken validation rule, naming its field. Empty unless <see cref="Reason"/> is <see cref="FailureReasons.Invalid"/>.</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>How many WeCom calls were made for the command, over every delivery (0 when none was made).</summary>
    public int Attempts { get; init; }

    /// <summary>The command's version, when it had one.</summary>
    public long? Version { get; init; }

    /// <summary>When the outcome was decided.</summary>
    public DateTimeOffset OccurredAt { get; init; }
}
