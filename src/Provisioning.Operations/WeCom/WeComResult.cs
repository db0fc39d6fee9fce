using System.Text.Json;

namespace Provisioning.WeCom;

/// <summary>One WeCom call's outcome, classified once, with the answer as parsed and as received.</summary>
public sealed record WeComResult<T>
    where T : class
{
    public required WeComErrorClass Class { get; init; }

    /// <summary>HTTP status, or null when no answer arrived (timeout, connection error).</summary>
    public int? HttpStatus { get; init; }

    public int? ErrCode { get; init; }

    /// <summary>WeCom's errmsg verbatim, or what went wrong on the way when WeCom did not answer.</summary>
    public string? ErrMsg { get; init; }

    /// <summary>The answer, parsed; null when there was none or it was not JSON.</summary>
    public T? Response { get; init; }

    /// <summary>The answer as received.</summary>
    public JsonElement? Raw { get; init; }

    public bool IsOk => Class == WeComErrorClass.Ok;

    /// <summary>A short description for logs and exceptions: never a URL, token or secret.</summary>
    public string Describe() =>
        HttpStatus is null ? $"{Class}: {ErrMsg}" : $"{Class}: HTTP {HttpStatus}, errcode {ErrCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {ErrMsg}";
}
