namespace Provisioning.WeCom;

/// <summary>What a WeCom answer means for us; decided only by <see cref="WeComErrorClassifier"/>.</summary>
public enum WeComErrorClass
{
    /// <summary>errcode 0.</summary>
    Ok,

    /// <summary>Try again later: system busy, rate limits, HTTP failures, timeouts.</summary>
    Transient,

    /// <summary>The access token was revoked or expired early: invalidate it, refresh, retry once.</summary>
    TokenInvalid,

    /// <summary>Our configuration is wrong (secret, trusted IP, permissions): every command would fail alike.</summary>
    Configuration,

    /// <summary>The enterprise's seat limit is reached: every command would fail alike.</summary>
    Quota,

    /// <summary>The userid exists already (60102): reconcile.</summary>
    AlreadyExists,

    /// <summary>No member has this userid (60111): not found for an update, already gone for a delete.</summary>
    NotFound,

    /// <summary>The mobile, email or biz mail belongs to another member.</summary>
    Conflict,

    /// <summary>WeCom rejected the input, or answered a code we do not know: not retried.</summary>
    Rejected,
}
