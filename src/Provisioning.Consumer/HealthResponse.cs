using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Provisioning.Consumer;

/// <summary>Writes a health report as JSON: overall status and each check's status and description (the cause of a pause).</summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
