using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Provisioning.WeCom;

/// <summary>Sends one WeCom request and classifies the answer: the only code that reads WeCom's HTTP layer.</summary>
internal static partial class WeComHttp
{
    /// <summary>The named HttpClient for WeCom. Its default request logging is removed: WeCom URLs carry the token and secret.</summary>
    public const string ClientName = "WeCom";

    static readonly MediaTypeHeaderValue JsonUtf8 = new("application/json") { CharSet = "utf-8" };

    public static HttpContent JsonContent(byte[] utf8Json) =>
        new ByteArrayContent(utf8Json) { Headers = { ContentType = JsonUtf8 } };

    /// <summary>Sends and classifies. <paramref name="api"/> names the call in logs (<c>user/create</c>); the URL itself is never logged.</summary>
    public static async Task<WeComResult<T>> SendAsync<T>(
        HttpClient http, HttpRequestMessage request, string api, WeComCall call, ILogger logger, CancellationToken cancellationToken)
        where T : Models.WeComResponse
    {
        var started = Stopwatch.GetTimestamp();
        WeComResult<T> result;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            result = Parse<T>((int)response.StatusCode, body, call);
        }
        catch (HttpRequestException ex)
        {
            result = new() { Class = WeComErrorClass.Transient, ErrMsg = $"connection failed: {ex.HttpRequestError}" };
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new() { Class = WeComErrorClass.Transient, ErrMsg = $"no answer within {http.Timeout.TotalSeconds:0.###} s" };
        }

        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogCall(logger, api, result.HttpStatus, result.ErrCode, result.Class, elapsedMs);
        return result;
    }

    static WeComResult<T> Parse<T>(int status, byte[] body, WeComCall call)
        where T : Models.WeComResponse
    {
        T? parsed = null;
        JsonElement? raw = null;
        try
        {
            // One parse into an element the outcome event keeps (no pooled document to copy out of), then one reader
            // pass over its bytes for the typed answer.
            raw = JsonSerializer.Deserialize<JsonElement>(body);
            parsed = raw.Value.Deserialize<T>(WeComJson.Options);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page, say): classified by the HTTP status alone, which makes it transient.
        }

        return new()
        {
            Class = WeComErrorClassifier.Classify(call, status, parsed?.ErrCode),
            HttpStatus = status,
            ErrCode = parsed?.ErrCode,
            ErrMsg = parsed?.ErrMsg ?? (parsed is null ? $"HTTP {status} without a WeCom answer" : null),
            Response = parsed,
            Raw = raw,
        };
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug,
        Message = "WeCom {Api} answered HTTP {HttpStatus}, errcode {ErrCode} ({ErrorClass}) in {ElapsedMs:0.0} ms")]
    static partial void LogCall(ILogger logger, string api, int? httpStatus, int? errCode, WeComErrorClass errorClass, double elapsedMs);
}
