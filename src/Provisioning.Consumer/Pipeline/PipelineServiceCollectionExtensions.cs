using Provisioning.Operations;

namespace Provisioning.Consumer.Pipeline;

internal static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The command pipeline without its transport: the operations (<see cref="OperationsServiceCollectionExtensions.AddOperations"/>)
    /// and what the steps share (in-process retries, outcomes, the turn signals). The steps themselves are created per
    /// delivery (<see cref="CommandSteps"/>).
    /// </summary>
    public static IServiceCollection AddCommandPipeline(this IServiceCollection services)
    {
        services.AddOperations();
        services.AddSingleton<TransientRetry>();
        services.AddSingleton<OutcomePublisher>();
        services.AddSingleton<TurnSignals>();
        return services;
    }
}
