namespace Provisioning.WeCom;

/// <summary>
/// A WeCom failure that is not the command's fault. The message names the API and WeCom's answer,
/// never a URL, token or secret.
/// </summary>
public class WeComException(string api, WeComErrorClass errorClass, int? errCode, string message)
    : Exception($"WeCom {api} failed ({message})")
{
    public string Api { get; } = api;
    public WeComErrorClass ErrorClass { get; } = errorClass;
    public int? ErrCode { get; } = errCode;

    public static WeComException From<T>(string api, WeComResult<T> result)
        where T : class =>
        result.Class is WeComErrorClass.Configuration or WeComErrorClass.Quota
            ? new WeComSystemicException(api, result.Class, result.ErrCode, result.Describe())
            : new WeComTransientException(api, result.Class, result.ErrCode, result.Describe());
}

/// <summary>Worth retrying later: WeCom busy, rate-limited, unreachable, or a token that kept failing.</summary>
public sealed class WeComTransientException(string api, WeComErrorClass errorClass, int? errCode, string message)
    : WeComException(api, errorClass, errCode, message);

/// <summary>Our side is wrong for every command alike (secret, trusted IP, permissions, seat limit).</summary>
public sealed class WeComSystemicException(string api, WeComErrorClass errorClass, int? errCode, string message)
    : WeComException(api, errorClass, errCode, message);
