using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Console;
using Provisioning.Consumer.Logging;
using Provisioning.Consumer.Storage;
using Provisioning.Consumer.Transport;
using Provisioning.Consumer.RequestLog;
using Provisioning.Consumer.Telemetry;
using Provisioning.WeCom;

namespace Provisioning.Consumer;

/// <summary>The composition root, shared by <c>Program</c> and the integration tests.</summary>
internal static class ProvisioningConsumerHost
{
    public static IHostApplicationBuilder AddProvisioningConsumer(this IHostApplicationBuilder builder)
    {
        // One line per entry, and no stack trace for failures we expect (see OneLineConsoleFormatter); or, for log
        // shippers, Logging:Console:FormatterName=json (.NET's JSON formatter: one object a line).
        var formatter = builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } configured ? configured : OneLineConsoleFormatter.FormatterName;
        builder.Logging.AddConsole(console => console.FormatterName = formatter)
            .AddConsoleFormatter<OneLineConsoleFormatter, ConsoleFormatterOptions>()
            // Program reports a failed start in one line of its own; the host's multi-line report would repeat it.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        var renamed = LegacyStorageSettings.Apply(builder.Configuration);
        // Kept for Program too: a start that fails on a renamed setting says which name the operator actually set.
        builder.Properties[typeof(LegacyStorageSettings)] = renamed;
        builder.Services.AddHostedService(provider => ActivatorUtilities.CreateInstance<LegacyStorageSettings.Warnings>(provider, renamed));
        builder.Services.AddWeCom();
        builder.Services.AddIdempotency();
        builder.Services.AddRequestLog();
        builder.Services.AddMessaging();
        builder.Services.AddTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> (the process runs) and <c>/health/ready</c> (bus connected, every enterprise usable; when not,
    /// the answer says why), and <c>/metrics</c> for Prometheus when <c>Telemetry:Prometheus</c> is true. Open to
    /// anyone who reaches the port, as probes and scrapers expect: they hold no personal data and no secret.
    /// </summary>
    public static WebApplication MapProvisioningHealth(this WebApplication app)
    {
        if (TelemetryServiceCollectionExtensions.PrometheusEnabled(app.Configuration))
            app.MapPrometheusScrapingEndpoint();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = HealthResponse.WriteAsync,
        });
        return app;
    }
}
