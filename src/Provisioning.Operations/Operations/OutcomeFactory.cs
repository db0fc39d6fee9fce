using Provisioning.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Operations;

/// <summary>
/// Builds the outcome events of one attempt at one command, filling in what every event says. <paramref name="notes"/>:
/// what the pipeline has to say in a success event's warnings (a part of the command older than what was applied, named in
/// <paramref name="notApplied"/>).
/// </summary>
internal sealed class OutcomeFactory(Func<MemberCommandFailed> newFailure, CommandKey key, string corpId, int attempts, DateTimeOffset now,
    IReadOnlyList<string>? notes = null, IReadOnlyList<string>? notApplied = null)
{
    public string CorpId => corpId;

    public IReadOnlyList<string> Notes => notes ?? [];

    /// <summary>The aspects of the command left out as older than what was applied ("state", "profile").</summary>
    public IReadOnlyList<string> NotApplied => notApplied ?? [];

    /// <summary>This attempt's number, over every delivery; above 1 an earlier attempt may have reached WeCom.</summary>
    public int Attempts => attempts;

    public Outcome Applied(MemberCommandSucceeded success) => new Outcome.Applied(success with
    {
        RequestId = key.RequestId,
        CorpId = corpId,
        UserId = key.UserId ?? "",
        Attempts = attempts,
        Version = key.Version,
        OccurredAt = now,
    });

    public Outcome Failed(string reason, string? errMsg = null, int? errCode = null, IReadOnlyList<FieldError>? errors = null) =>
        new Outcome.Failed(newFailure() with
        {
            RequestId = key.RequestId,
            CorpId = corpId,
            UserId = key.UserId ?? "",
            Reason = reason,
            ErrCode = errCode,
            ErrMsg = errMsg,
            Errors = errors ?? [],
            Attempts = attempts,
            Version = key.Version,
            OccurredAt = now,
        });

    public Outcome Rejected<T>(string reason, WeComResult<T> result)
        where T : class => Failed(reason, result.ErrMsg, result.ErrCode);

    /// <summary>
    /// The outcome of a WeCom answer that is the command's fault (rejected, conflict, not found), or throws for one that
    /// is not (transient, systemic) so the retries take it.
    /// </summary>
    public Outcome FromFailure<T>(string api, WeComResult<T> result)
        where T : class => result.Class switch
    {
        WeComErrorClass.NotFound => Rejected(FailureReasons.NotFound, result),
        WeComErrorClass.Conflict or WeComErrorClass.AlreadyExists => Rejected(FailureReasons.Conflict, result),
        WeComErrorClass.Rejected => Rejected(FailureReasons.Rejected, result),
        _ => throw WeComException.From(api, result),
    };
}
