using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Provisioning.Consumer.Operator;

/// <summary>The console's page frame and the few helpers its pages share. Every value goes through <c>E</c> (HTML-encoded).</summary>
internal static class Html
{
    // Every script is encoded, so Chinese names stay readable in the page source and safe.
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string E(string? value) => value is null ? "" : Encoder.Encode(Visible(value));

    /// <summary>
    /// Invisible formatting characters (Unicode category Cf: bidirectional overrides and isolates such as U+202E, zero-width
    /// spaces, the byte-order mark) shown as text, <c>[U+202E]</c>: encoded as entities they would still act, reordering a
    /// table cell so that a name or userid reads as something else (issue 20). Zero-width joiners (U+200C, U+200D) stay:
    /// scripts and emoji need them.
    /// </summary>
    static string Visible(string value)
    {
        if (!value.Any(IsHidden))
            return value;
        var text = new StringBuilder(value.Length + 16);
        foreach (var c in value)
            text.Append(IsHidden(c) ? $"[U+{(int)c:X4}]" : c);
        return text.ToString();
    }

    static bool IsHidden(char c) => c is not ('\u200C' or '\u200D') && char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    public static string E(object? value) => value switch
    {
        null => "",
        DateTimeOffset at => Time(at),
        IFormattable formattable => Encoder.Encode(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => E(value.ToString()),
    };

    public static string Time(DateTimeOffset? at) => at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    public static string Url(string value) => Uri.EscapeDataString(value);

    public static string Status(string status) => $"""<span class="status {E(status)}">{E(status.Replace('_', ' '))}</span>""";

    /// <summary>A hidden antiforgery field for a form that acts.</summary>
    public static string Token(string fieldName, string? token) => $"""<input type="hidden" name="{E(fieldName)}" value="{E(token)}">""";

    public static IResult Page(string title, ClaimsPrincipal user, string body, (string Field, string? Token) antiforgery, string? notice = null)
    {
        var signedIn = user.Identity?.IsAuthenticated == true;
        var who = signedIn
            ? $"""
              <span class="who">{E(OperatorActions.ActorOf(user))} · {E(OperatorActions.RoleOf(user))}</span>
              """ + (user.Identity?.AuthenticationType == "Cookies"
                ? $"""<form method="post" action="/console/logout" class="inline">{Token(antiforgery.Field, antiforgery.Token)}<button>Sign out</button></form>"""
                : "")
            : "";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} · WeCom provisioning</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; font-size: 14px; }
            header { background: #1d2330; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
            header a { color: #cfe0ff; text-decoration: none; } header a:hover { text-decoration: underline; }
            header .brand { font-weight: 600; color: #fff; } header .who { margin-left: auto; color: #cdd3dd; }
            main { padding: 16px; max-width: 1400px; }
            h1 { font-size: 20px; margin: 4px 0 12px; } h2 { font-size: 16px; margin: 20px 0 8px; }
            table { border-collapse: collapse; width: 100%; background: #fff; }
            th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
            th { background: #eef1f5; font-weight: 600; white-space: nowrap; }
            td.msg { max-width: 420px; overflow-wrap: anywhere; }
            .status { padding: 1px 6px; border-radius: 8px; font-size: 12px; white-space: nowrap; background: #e6e9ee; }
            .succeeded { background: #d9f2df; color: #175c2b; } .failed { background: #fbe0df; color: #8a1c17; }
            .dead_lettered { background: #5c1713; color: #fff; } .parked, .waiting { background: #fff1cc; color: #6b4e00; }
            .held { background: #e8ddff; color: #40217f; } .in_progress { background: #dde9ff; color: #173d8a; }
            form.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-bottom: 12px; }
            form.filters label { display: flex; flex-direction: column; font-size: 12px; color: #556; }
            input, select, button { font: inherit; padding: 4px 6px; } button { cursor: pointer; }
            form.inline { display: inline; } .notice { background: #fff8d6; border: 1px solid #e8d27a; padding: 8px; margin-bottom: 12px; }
            .error { background: #fbe0df; border: 1px solid #e29c98; padding: 8px; margin-bottom: 12px; }
            .pager { margin: 8px 0; display: flex; gap: 12px; } dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: #fff; padding: 12px; }
            dt { color: #556; } dd { margin: 0; overflow-wrap: anywhere; } .chart { background: #fff; padding: 8px; } .legend span { margin-right: 12px; }
            .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
            </style>
            </head>
            <body>
            <header><span class="brand">WeCom provisioning</span>
            <a href="/console">Requests</a><a href="/console/enterprises">Enterprises</a><a href="/console/queues">Dead letters &amp; held</a><a href="/console/audit">Audit</a>
            {{who}}</header>
            <main>
            <h1>{{E(title)}}</h1>
            {{(notice is null ? "" : $"""<div class="notice" role="status">{E(notice)}</div>""")}}
            {{body}}
            </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
