using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.Storage;

namespace Provisioning.Consumer.Storage;

internal static class IdempotencyServiceCollectionExtensions
{
    /// <summary>The request ledger chosen by <c>Storage:Provider</c>, and the one purge of every store.</summary>
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
        services.AddSingleton<IRemovalCounter>(provider => provider.GetRequiredService<GuardedRequestLedger>());
        services.AddHealthChecks().AddCheck<RequestLedgerHealthCheck>("idempotency-store", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        services.AddSingleton(provider => new StorePurge("request ledger", (now, token) =>
            provider.GetRequiredService<IRequestLedger>().PurgeAsync(now - provider.GetRequiredService<IOptions<IdempotencyOptions>>().Value.Retention, token)));
        services.AddHostedService<StoragePurgeService>();
        return services;
    }
}
