using System.Reflection;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Provisioning.Operations;

namespace Provisioning.Consumer.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    public const string ServiceName = "provisioning-consumer";

    /// <summary>
    /// OpenTelemetry for MassTransit, HttpClient, the .NET runtime and our own instrumentation: metrics on a Prometheus
    /// scrape endpoint (<c>/metrics</c>) when <c>Telemetry:Prometheus</c> is true, and traces and metrics over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without either nothing listens, so no span or measurement is recorded
    /// at all (they cost about a tenth of the CPU per command). HttpClient spans carry URLs with their query values
    /// redacted (the instrumentation's default), so access tokens and secrets stay out of traces.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<ProvisioningInstrumentation>();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = PrometheusEnabled(configuration);
        if (!otlp && !prometheus)
            return services;
        var version = typeof(TelemetryServiceCollectionExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: version?.Split('+')[0]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(InstrumentationOptions.MeterName, ProvisioningInstrumentation.Name)
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (prometheus)
                    metrics.AddPrometheusExporter();
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                    .AddSource(DiagnosticHeaders.DefaultListenerName, ProvisioningInstrumentation.Name)
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }
        return services;
    }

    public static bool PrometheusEnabled(IConfiguration configuration) =>
        bool.TryParse(configuration["Telemetry:Prometheus"], out var enabled) && enabled;
}
