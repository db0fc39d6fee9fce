namespace Provisioning.WeCom;

/// <summary>
/// The one place that turns WeCom's HTTP status and errcode into a <see cref="WeComErrorClass"/>.
/// Codes: WeCom global error codes (document 90313) and the create and lifecycle error codes listed in the README.
/// </summary>
public static class WeComErrorClassifier
{
    static readonly HashSet<int> Transient = [-1, 45009, 45033];
    static readonly HashSet<int> Token = [40014, 42001];
    static readonly HashSet<int> Configuration = [48002, 60020, 60011, 301002, 41001];
    static readonly HashSet<int> Conflict = [60104, 60106, 60145];

    /// <summary>Which rate limit an errcode says was hit, if any: the throttle backs off by it.</summary>
    public static WeComRateLimit RateLimitOf(int? errCode) => errCode switch
    {
        45009 => WeComRateLimit.Calls,
        45033 => WeComRateLimit.ConcurrentCalls,
        _ => WeComRateLimit.None,
    };

    /// <summary>Classifies one answer. <paramref name="httpStatus"/> null means no answer arrived (timeout, connection error).</summary>
    public static WeComErrorClass Classify(WeComCall call, int? httpStatus, int? errCode)
    {
        if (httpStatus is not 200 || errCode is null)
            return WeComErrorClass.Transient;

        var code = errCode.Value;
        if (code == 0)
            return WeComErrorClass.Ok;
        if (Transient.Contains(code))
            return WeComErrorClass.Transient;
        if (call == WeComCall.GetToken)
            // gettoken failing (40001, 40013, 40091, 41002, 41004, 45031, …) is a configuration error
            // whatever the code: stop and alert, do not hammer (wrong secrets get the IP blocked).
            return WeComErrorClass.Configuration;
        if (Token.Contains(code) || code == 40001)
            return WeComErrorClass.TokenInvalid;
        if (Configuration.Contains(code))
            return WeComErrorClass.Configuration;
        if (code == 45024)
            return WeComErrorClass.Quota;
        if (code == 60111)
            return WeComErrorClass.NotFound;
        if (code == 60102)
            return WeComErrorClass.AlreadyExists;
        if (Conflict.Contains(code))
            return WeComErrorClass.Conflict;
        // Invalid input (40003, 40058, 60123, 60129, …) and every code we do not know.
        return WeComErrorClass.Rejected;
    }
}
