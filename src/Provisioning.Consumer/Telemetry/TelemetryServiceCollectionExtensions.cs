using MassTransit.Logging;
using MassTransit.Monitoring;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Provisioning.Consumer.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// OpenTelemetry for MassTransit, HttpClient and our own instrumentation, exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without an exporter nothing listens, so no span or measurement is
    /// recorded at all (they cost about a tenth of the CPU per command). HttpClient spans carry URLs with their query
    /// values redacted (the instrumentation's default), so access tokens and secrets stay out of traces.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ProvisioningInstrumentation>();
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("provisioning-consumer"))
            .WithTracing(tracing => tracing
                .AddSource(DiagnosticHeaders.DefaultListenerName, ProvisioningInstrumentation.Name)
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(InstrumentationOptions.MeterName, ProvisioningInstrumentation.Name)
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();
        return services;
    }
}
