using System.Globalization;
using System.Text;
using Provisioning.Storage.RequestLog;
using static Provisioning.Consumer.Operator.Html;

namespace Provisioning.Consumer.Operator;

/// <summary>Failures by reason over time: an inline SVG of stacked bars, one per bucket, one colour per reason. No script.</summary>
internal static class FailureChart
{
    static readonly string[] Palette = ["#c0392b", "#e67e22", "#8e44ad", "#2980b9", "#16a085", "#7f8c8d", "#d35400", "#2c3e50"];

    static string Per(TimeSpan bucket) => bucket.TotalDays >= 1 ? "day" : bucket.TotalHours >= 1 ? "hour" : $"{bucket.TotalMinutes:0} minutes";

    public static string Render(IReadOnlyList<FailureCount> counts, FailureWindow window)
    {
        var bucketMs = (long)window.Bucket.TotalMilliseconds;
        var first = window.From.ToUnixTimeMilliseconds() / bucketMs * bucketMs;
        var buckets = (int)((window.To.ToUnixTimeMilliseconds() - first) / bucketMs) + 1;
        var reasons = counts.Select(c => c.Reason).Distinct().Order(StringComparer.Ordinal).ToList();
        var byBucket = counts.GroupBy(c => (int)((c.BucketStart.ToUnixTimeMilliseconds() - first) / bucketMs)).ToDictionary(g => g.Key, g => g.ToList());
        var max = Math.Max(1, byBucket.Values.Select(list => list.Sum(c => c.Count)).DefaultIfEmpty(0).Max());
        const int Width = 960, Height = 110, Left = 40, Bottom = 20;
        var barWidth = (double)(Width - Left) / buckets;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg viewBox="0 0 {Width} {Height + Bottom}" width="100%" role="img" aria-label="Failures by reason, last {(int)(window.To - window.From).TotalHours} hours">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="0" y="12" font-size="11">{max}</text><text x="0" y="{Height}" font-size="11">0</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{Height}" x2="{Width}" y2="{Height}" stroke="#99a"/>""");
        foreach (var (index, list) in byBucket)
        {
            var y = (double)Height;
            foreach (var count in list.OrderBy(c => reasons.IndexOf(c.Reason)))
            {
                var h = (double)count.Count / max * (Height - 10);
                y -= h;
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<rect x="{Left + index * barWidth + 1:0.#}" y="{y:0.#}" width="{Math.Max(barWidth - 2, 1):0.#}" height="{h:0.#}" fill="{Palette[reasons.IndexOf(count.Reason) % Palette.Length]}"><title>{E(count.Reason)}: {count.Count} ({E(Time(count.BucketStart))})</title></rect>""");
            }
        }
        for (var i = 0; i < buckets; i += Math.Max(1, buckets / 6))
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(first + i * bucketMs);
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + i * barWidth:0.#}" y="{Height + 14}" font-size="11">{at.UtcDateTime:MM-dd HH:mm}</text>""");
        }
        svg.Append("</svg>");
        var legend = reasons.Count == 0
            ? "no failures in this window"
            : string.Concat(reasons.Select((r, i) => $"""<span><i class="swatch" style="background:{Palette[i % Palette.Length]}"></i><a href="/console?reason={Url(r)}">{E(r)}</a> {counts.Where(c => c.Reason == r).Sum(c => c.Count)}</span>"""));
        return $"""
            <section class="chart"><h2>Failures by reason, last {(int)(window.To - window.From).TotalHours} h (UTC, per {Per(window.Bucket)})</h2>{svg}<div class="legend">{legend}</div></section>
            """;
    }
}
