using Provisioning.Contracts;

namespace Provisioning.Cli;

/// <summary>One command's outcome event as the CLI reports it (a line, a JSON object, a row of the import report).</summary>
internal sealed record CommandOutcome(Guid RequestId, string Event, string UserId, bool Succeeded, string? Reason, int? ErrCode, string Message, int Attempts)
{
    public static CommandOutcome Of(MemberCommandSucceeded success) =>
        new(success.RequestId, success.GetType().Name, success.UserId, true, null, null, Detail(success), success.Attempts);

    public static CommandOutcome Of(MemberCommandFailed failure) =>
        new(failure.RequestId, failure.GetType().Name, failure.UserId, false, failure.Reason, failure.ErrCode,
            failure.Errors.Count > 0 ? string.Join("; ", failure.Errors.Select(e => $"{e.Field}: {e.Message}")) : failure.ErrMsg ?? "",
            failure.Attempts);

    static string Detail(MemberCommandSucceeded success) => success switch
    {
        MemberCreated { CreatedDepartments.Count: > 0 } m => $"placeholder departments: {string.Join(", ", m.CreatedDepartments.Select(d => $"{d.Id} {d.Name}"))}",
        MemberCreated { AlreadyExisted: true } => "already existed",
        MemberDeleted { AlreadyGone: true } => "already gone",
        MemberSynced { Warnings.Count: > 0 } m => $"{(m.Created ? "created" : "updated")}; warnings: {string.Join("; ", m.Warnings)}",
        MemberSynced m => m.Created ? "created" : "updated",
        MemberUpdated { Warnings.Count: > 0 } m => $"warnings: {string.Join("; ", m.Warnings)}",
        _ => "",
    };

    /// <summary>The line printed for it: ✔ or ✘, the event, the member, and what there is to say.</summary>
    public string Line => Succeeded
        ? $"  ✔ {Event,-20} {UserId,-20} attempts: {Attempts}{(Message.Length > 0 ? ", " + Message : "")}"
        : $"  ✘ {Event,-20} {UserId,-20} {Reason}: {(ErrCode is { } code ? $"errcode {code}: " : "")}{Message}";
}
