namespace Provisioning.Contracts;

/// <summary>The closed set of <see cref="MemberCreationFailed.Reason"/> values.</summary>
public static class FailureReasons
{
    /// <summary>The command broke a rule of <c>user/create</c>; nothing was sent to WeCom. See <see cref="MemberCreationFailed.Errors"/>.</summary>
    public const string Invalid = "Invalid";

    /// <summary>WeCom rejected the member (invalid input, a department that does not exist, …). See <see cref="MemberCreationFailed.ErrCode"/>.</summary>
    public const string Rejected = "Rejected";

    /// <summary>The userid, mobile, email or biz mail belongs to another member (WeCom 60102, 60104, 60106, 60145).</summary>
    public const string Conflict = "Conflict";

    /// <summary>The command named a corp id that this service is not configured for.</summary>
    public const string UnknownCorp = "UnknownCorp";

    /// <summary>WeCom kept failing transiently until every retry was used; the command is also in the error queue.</summary>
    public const string RetriesExhausted = "RetriesExhausted";
}
