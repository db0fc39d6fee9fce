using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.Storage;

namespace Provisioning.Consumer.Storage;

internal static class IdempotencyServiceCollectionExtensions
{
    /// <summary>The idempotency store chosen by <c>Idempotency:Provider</c>, and its background cleanup.</summary>
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddOptions<IdempotencyOptions>()
            .BindConfiguration(IdempotencyOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.ConnectionString ??= configuration.GetConnectionString("Idempotency"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new GuardedRequestLedger(
            provider.GetRequiredService<IOptions<IdempotencyOptions>>().Value.Provider switch
            {
                IdempotencyProvider.Postgres => ActivatorUtilities.CreateInstance<PostgresRequestLedger>(provider),
                IdempotencyProvider.None => new NoRequestLedger(),
                _ => ActivatorUtilities.CreateInstance<SqliteRequestLedger>(provider),
            }));
        services.AddSingleton<IRequestLedger>(provider => provider.GetRequiredService<GuardedRequestLedger>());
        services.AddHealthChecks().AddCheck<RequestLedgerHealthCheck>("idempotency-store", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        services.AddHostedService<IdempotencyCleanupService>();
        return services;
    }
}
