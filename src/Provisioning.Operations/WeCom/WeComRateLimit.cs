namespace Provisioning.WeCom;

/// <summary>Which of WeCom's limits an answer says was hit; decided only by <see cref="WeComErrorClassifier"/>.</summary>
public enum WeComRateLimit
{
    None,

    /// <summary>45009: too many calls in the minute (the enterprise's 10,000/min, or the hour's 150,000).</summary>
    Calls,

    /// <summary>45033: too many calls in flight at once.</summary>
    ConcurrentCalls,
}
