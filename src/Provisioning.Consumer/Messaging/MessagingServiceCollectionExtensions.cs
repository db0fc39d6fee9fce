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
            .BindConfiguration(RabbitMqOptions.SectionName)
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
        services.AddSingleton<CorpLanes>();
        services.AddHostedService(provider => provider.GetRequiredService<CorpLanes>());
        // CorpLanes learns of each lane's endpoint when it is ready, to stop and start it.
        services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<CorpLanes>());
        services.AddHealthChecks().AddCheck<RetryParkingHealthCheck>("retry-parking", tags: ["ready"]);

        services.AddScoped<ExistingMemberReconciler>();
        services.AddScoped<MemberProvisioner>();
        services.AddSingleton<TransientRetry>();
        services.AddSingleton<OutcomePublisher>();
        services.AddSingleton<CommandScreen>();
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.AddConsumer<CreateMemberRouter, CreateMemberRouterDefinition>();
            // Configured below, once per enterprise lane, not on an endpoint of its own.
            bus.AddConsumer<CreateMemberConsumer, CreateMemberConsumerDefinition>().ExcludeFromConfigureEndpoints();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(new Uri(options.ConnectionString!), host =>
                {
                    host.ConnectionName("provisioning-consumer");
                    // Each replica tries the nodes in its own random order: connections spread over the cluster, and a
                    // node that is down holds up only some replicas' first attempt.
                    if (options.ClusterNodes.Count > 0)
                        host.UseCluster(cluster => { foreach (var (nodeHost, port) in options.Nodes().OrderBy(_ => Random.Shared.Next())) cluster.Node($"{nodeHost}:{port}"); });
                });

                // Plain JSON (content type application/json) from publishers that are not MassTransit.
                rabbit.UseRawJsonDeserializer();
                var consumer = context.GetRequiredService<IOptions<ConsumerOptions>>().Value;
                rabbit.ConfigureJsonSerializerOptions(json =>
                {
                    json.MaxDepth = consumer.MaxJsonDepth;
                    return json;
                });
                var names = new LaneQueueNames(consumer.QueueName);
                rabbit.SendTopology.ErrorQueueNameFormatter = names;
                rabbit.SendTopology.DeadLetterQueueNameFormatter = names;

                var lanes = context.GetRequiredService<CorpLanes>();
                if (lanes.Direct)
                {
                    // One enterprise: its commands are consumed from the input queue itself, no router, no extra hop.
                    rabbit.ReceiveEndpoint(consumer.QueueName, input =>
                    {
                        if (options.QueueType == QueueType.Quorum)
                            input.SetQuorumQueue();
                        input.ConfigureConsumer<CreateMemberConsumer>(context);
                    });
                }
                foreach (var (_, queue) in lanes.All)
                {
                    rabbit.ReceiveEndpoint(queue, lane =>
                    {
                        // A lane is fed by the router only: it must not be bound to the command exchange as well.
                        lane.ConfigureConsumeTopology = false;
                        if (options.QueueType == QueueType.Quorum)
                            lane.SetQuorumQueue();
                        lane.ConfigureConsumer<CreateMemberConsumer>(context);
                    });
                }
                rabbit.ConfigureEndpoints(context, endpoints =>
                {
                    if (lanes.Direct)
                        endpoints.Exclude<CreateMemberRouter>();
                });
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
