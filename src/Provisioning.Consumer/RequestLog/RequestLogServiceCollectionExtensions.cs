using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.Operations;
using Provisioning.Storage;
using Provisioning.Storage.RequestLog;
using Provisioning.Consumer.Storage;

namespace Provisioning.Consumer.RequestLog;

internal static class RequestLogServiceCollectionExtensions
{
    /// <summary>The provisioning log (<c>RequestLog</c> section): its store, its writer and its part of the purge.</summary>
    public static IServiceCollection AddRequestLog(this IServiceCollection services)
    {
        services.AddOptions<RequestLogOptions>()
            .BindConfiguration(RequestLogOptions.SectionName)
            .Configure<IConfiguration, IOptions<IdempotencyOptions>>((options, configuration, idempotency) =>
            {
                options.Provider ??= idempotency.Value.Provider == IdempotencyProvider.Postgres ? IdempotencyProvider.Postgres : IdempotencyProvider.Sqlite;
                options.ConnectionString ??= configuration.GetConnectionString("RequestLog") ?? configuration.GetConnectionString("Idempotency");
                // Beside the idempotency file: where that is writable (a container's /data volume), so is this.
                options.SqlitePath ??= Path.Combine(Path.GetDirectoryName(idempotency.Value.SqlitePath) ?? "", "provisioning-log.db");
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProvisioningInstrumentation>();
        services.AddSingleton<RequestLogBuffer>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<RequestLogOptions>>().Value;
            return options.Provider == IdempotencyProvider.Postgres
                ? RequestLogStore.Postgres(options.ConnectionString!)
                : RequestLogStore.Sqlite(options.SqlitePath!);
        });
        services.AddSingleton<RequestLogRecorder>();
        services.AddSingleton<RequestLogWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<RequestLogWriter>());
        services.AddSingleton(provider => new StorePurge("provisioning log", async (now, token) =>
            provider.GetRequiredService<IOptions<RequestLogOptions>>().Value is { Enabled: true } options
                ? await provider.GetRequiredService<RequestLogStore>().PurgeAsync(now - options.Retention, token).ConfigureAwait(false)
                : 0));
        return services;
    }
}
