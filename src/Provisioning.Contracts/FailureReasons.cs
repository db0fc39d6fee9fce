namespace Provisioning.Contracts;

/// <summary>The closed set of <see cref="MemberCommandFailed.Reason"/> values.</summary>
public static class FailureReasons
{
    /// <summary>The command broke a rule of its WeCom call; nothing was sent to WeCom. See <see cref="MemberCommandFailed.Errors"/>.</summary>
    public const string Invalid = "Invalid";

    /// <summary>WeCom rejected the call (invalid input, a department that does not exist, a refused rename 301036, the creator 301005, …). See <see cref="MemberCommandFailed.ErrCode"/>.</summary>
    public const string Rejected = "Rejected";

    /// <summary>The userid, mobile, email or biz mail belongs to another member (WeCom 60102, 60104, 60106, 60145).</summary>
    public const string Conflict = "Conflict";

    /// <summary>WeCom has no member with this userid (60111): an update, disable or enable of someone who does not exist.</summary>
    public const string NotFound = "NotFound";

    /// <summary>A newer command for the same member (a higher <c>version</c>) was applied already: this one was not.</summary>
    public const string Superseded = "Superseded";

    /// <summary>A <see cref="DeleteMember"/> while deletes are switched off (<c>Lifecycle:AllowDelete</c>), or rejected by an operator from the deletion guard.</summary>
    public const string NotAllowed = "NotAllowed";

    /// <summary>The command named a corp id that this service is not configured for.</summary>
    public const string UnknownCorp = "UnknownCorp";

    /// <summary>WeCom kept failing transiently until every retry was used; the command is also in the error queue.</summary>
    public const string RetriesExhausted = "RetriesExhausted";
}
