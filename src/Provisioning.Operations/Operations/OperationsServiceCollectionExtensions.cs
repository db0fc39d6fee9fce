using Microsoft.Extensions.DependencyInjection.Extensions;
using Provisioning.Rules;

namespace Provisioning.Operations;

internal static class OperationsServiceCollectionExtensions
{
    /// <summary>
    /// Every operation of this assembly (each class implementing <see cref="IMemberOperation{TCommand}"/>), the deletion
    /// guard and the lifecycle settings. Every command of the catalogue must have exactly one operation: a command added
    /// to <see cref="CommandCatalogue"/> without its operation stops the service at start-up, naming it.
    /// </summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddOptions<LifecycleOptions>()
            .BindConfiguration(LifecycleOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<ExistingMemberReconciler>();
        services.AddScoped<MobileCheck>();
        services.AddSingleton<DeletionGuard>();
        services.TryAddSingleton<ProvisioningInstrumentation>();
        var operations = (from type in typeof(IMemberOperation<>).Assembly.GetTypes()
                          where type is { IsClass: true, IsAbstract: false }
                          from contract in type.GetInterfaces()
                          where contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IMemberOperation<>)
                          select (Command: contract.GetGenericArguments()[0], Contract: contract, Type: type)).ToList();
        foreach (var descriptor in CommandCatalogue.All)
        {
            var found = operations.Where(operation => operation.Command == descriptor.Command).ToList();
            if (found.Count != 1)
                throw new InvalidOperationException($"Command {descriptor.Command.Name} needs exactly one operation (a class implementing IMemberOperation<{descriptor.Command.Name}>); found {found.Count}.");
            services.AddScoped(found[0].Contract, found[0].Type);
        }
        return services;
    }
}
