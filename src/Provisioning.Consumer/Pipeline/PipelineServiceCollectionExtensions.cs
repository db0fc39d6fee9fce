using Provisioning.Consumer.Consumers;
using Provisioning.Consumer.Retries;
using Provisioning.Consumer.Idempotency;
using Provisioning.Contracts;
using Provisioning.Operations;

namespace Provisioning.Consumer.Pipeline;

internal static class OperationsServiceCollectionExtensions
{
    /// <summary>The member pipeline's parts that do not depend on the transport: each operation, screening, retries, outcomes.</summary>
    public static IServiceCollection AddMemberOperations(this IServiceCollection services)
    {
        services.AddOptions<LifecycleOptions>()
            .BindConfiguration(LifecycleOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<ExistingMemberReconciler>();
        services.AddScoped<MobileCheck>();
        services.AddScoped<IMemberOperation<CreateMember>, CreateOperation>();
        services.AddScoped<IMemberOperation<UpdateMember>, UpdateOperation>();
        services.AddScoped<IMemberOperation<DisableMember>, DisableOperation>();
        services.AddScoped<IMemberOperation<EnableMember>, EnableOperation>();
        services.AddScoped<IMemberOperation<DeleteMember>, DeleteOperation>();
        services.AddScoped<IMemberOperation<SyncMember>, SyncOperation>();
        services.AddSingleton<TransientRetry>();
        services.AddSingleton<OutcomePublisher>();
        services.AddSingleton<PlainJsonOutcomes>();
        services.AddSingleton<CommandScreen>();
        services.AddSingleton<DeletionGuard>();
        services.AddSingleton<TurnSignals>();
        return services;
    }
}
