using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.Consumers;

namespace Provisioning.Consumer.Messaging;

internal static class MessagingServiceCollectionExtensions
{
    /// <summary>MassTransit on RabbitMQ with the create-member consumer and its options, validated at start-up.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        services.AddOptions<RabbitMqOptions>()
            .Configure<IConfiguration>((options, configuration) => options.ConnectionString ??= configuration.GetConnectionString("RabbitMq"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ConsumerOptions>()
            .BindConfiguration(ConsumerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<RetryOptions>()
            .BindConfiguration(RetryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Registered before MassTransit: the parking queues exist before the first message is consumed.
        services.AddSingleton<RetryParking>();
        services.AddHostedService(provider => provider.GetRequiredService<RetryParking>());
        services.AddSingleton<ParkingFilter>();
        services.AddHealthChecks().AddCheck<RetryParkingHealthCheck>("retry-parking", tags: ["ready"]);

        services.AddScoped<ExistingMemberReconciler>();
        services.AddScoped<MemberProvisioner>();
        services.AddSingleton<TransientRetry>();
        services.AddSingleton<OutcomePublisher>();
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.AddConsumer<CreateMemberConsumer, CreateMemberConsumerDefinition>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(new Uri(options.ConnectionString!), host => host.ConnectionName("provisioning-consumer"));
                // Plain JSON (content type application/json) from publishers that are not MassTransit.
                rabbit.UseRawJsonDeserializer();
                rabbit.ConfigureEndpoints(context);
            });
        });
        // The host does not wait for the broker: an unreachable broker at start-up is retried by MassTransit while
        // /health/ready (the bus check, tagged "ready") says so. Publishers wait for readiness, or for a consumer on
        // the queue, before they publish: a publish to an exchange without a bound queue would be lost.
        services.Configure<MassTransitHostOptions>(host =>
        {
            host.WaitUntilStarted = false;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }
}
