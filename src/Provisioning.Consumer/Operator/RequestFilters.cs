using System.Globalization;
using Provisioning.Storage.RequestLog;

namespace Provisioning.Consumer.Operator;

/// <summary>The request list's filters from a query string (API and console alike), each checked with a clear error.</summary>
internal static class RequestFilters
{
    public static (RequestQuery? Query, string? Error) Parse(IQueryCollection query)
    {
        string? Text(string name) => query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;

        var status = Text("status");
        if (status is not null && !RequestStatuses.All.Contains(status))
            return (null, $"status must be one of {string.Join(", ", RequestStatuses.All)}, not '{status}'");
        int? errCode = null;
        if (Text("errCode") is { } code)
        {
            if (!int.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                return (null, $"errCode must be a whole number, not '{code}'");
            errCode = parsed;
        }
        DateTimeOffset? from = null, to = null;
        foreach (var (name, set) in new (string, Action<DateTimeOffset>)[] { ("from", v => from = v), ("to", v => to = v) })
        {
            if (Text(name) is not { } value)
                continue;
            if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return (null, $"{name} must be a date and time such as 2026-11-30T08:00:00Z, not '{value}'");
            set(parsed);
        }
        var page = 1;
        if (Text("page") is { } pageText && (!int.TryParse(pageText, CultureInfo.InvariantCulture, out page) || page < 1))
            return (null, $"page must be a whole number from 1, not '{pageText}'");
        var pageSize = 50;
        if (Text("pageSize") is { } sizeText && (!int.TryParse(sizeText, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > RequestQuery.MaxPageSize))
            return (null, $"pageSize must be a whole number from 1 to {RequestQuery.MaxPageSize}, not '{sizeText}'");
        return (new RequestQuery
        {
            CorpId = Text("corpId"),
            Status = status,
            Reason = Text("reason"),
            ErrCode = errCode,
            From = from,
            To = to,
            UserIdPrefix = Text("userId"),
            Operation = Text("operation"),
            Page = page,
            PageSize = pageSize,
        }, null);
    }
}

/// <summary>The failures chart's window: the last <c>hours</c> (default 24) in buckets of <c>bucket</c> (default 1h).</summary>
internal sealed record FailureWindow(DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket)
{
    public static FailureWindow? Parse(IQueryCollection query, DateTimeOffset now)
    {
        var hours = 24;
        if (query["hours"].ToString() is { Length: > 0 } text && (!int.TryParse(text, CultureInfo.InvariantCulture, out hours) || hours is < 1 or > 720))
            return null;
        TimeSpan? bucket = query["bucket"].ToString() switch
        {
            "" or "1h" => TimeSpan.FromHours(1),
            "5m" => TimeSpan.FromMinutes(5),
            "15m" => TimeSpan.FromMinutes(15),
            "1d" => TimeSpan.FromDays(1),
            _ => null,
        };
        if (bucket is null)
            return null;
        var to = now;
        return new FailureWindow(to.AddHours(-hours), to, bucket.Value);
    }
}
