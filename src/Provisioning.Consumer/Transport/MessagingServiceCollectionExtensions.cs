using MassTransit;
using Microsoft.Extensions.Options;
using Provisioning.Operations;
using Provisioning.Consumer.Pipeline;
using Provisioning.Rules;

namespace Provisioning.Consumer.Transport;

internal static class MessagingServiceCollectionExtensions
{
    /// <summary>MassTransit on RabbitMQ with the command pipeline and its options, validated at start-up.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        services.AddCommandTransport();
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.AddCommandConsumers();
            bus.UsingRabbitMq(ConfigureRabbitMq);
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

    /// <summary>
    /// Everything of the transport but the bus: its options, the queues, lanes and parking, the outcome copy, and the
    /// command pipeline. The unit tests put MassTransit's in-memory harness beside it in place of RabbitMQ.
    /// </summary>
    public static IServiceCollection AddCommandTransport(this IServiceCollection services)
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

        // Read by PlainJsonOutcomes (registered with the operations); unbound (no exchange) where no host configures it.
        services.AddOptions<OutcomeOptions>().BindConfiguration(OutcomeOptions.SectionName);
        services.AddOptions<RetryOptions>()
            .BindConfiguration(RetryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Registered before MassTransit: the parking queues exist before the first message is consumed.
        services.AddSingleton<RetryParking>();
        services.AddHostedService(provider => provider.GetRequiredService<RetryParking>());
        services.AddSingleton<CommandQueues>();
        services.AddSingleton<CorpLanes>();
        services.AddHostedService(provider => provider.GetRequiredService<CorpLanes>());
        // CorpLanes learns of each lane's endpoint when it is ready, to stop and start it.
        services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<CorpLanes>());
        services.AddHealthChecks()
            .AddCheck<RetryParkingHealthCheck>("retry-parking", tags: ["ready"])
            .AddCheck<DeletionGuardHealthCheck>("deletion-guard", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));

        services.AddCommandPipeline();
        // The plain-JSON outcome exchange, when configured, is declared as soon as the bus is connected.
        services.AddSingleton<PlainJsonOutcomes>();
        services.AddSingleton<IOutcomeCopy>(provider => provider.GetRequiredService<PlainJsonOutcomes>());
        services.AddBusObserver(provider => provider.GetRequiredService<PlainJsonOutcomes>());
        return services;
    }

    /// <summary>Each command's router (on its input queue) and consumer (on its enterprises' lanes).</summary>
    public static void AddCommandConsumers(this IBusRegistrationConfigurator bus)
    {
        foreach (var command in CommandCatalogue.All)
        {
            bus.AddConsumer(typeof(CommandRouter<>).MakeGenericType(command.Command), typeof(CommandRouterDefinition<>).MakeGenericType(command.Command));
            // Configured by ConfigureLanes, once per enterprise lane, not on an endpoint of its own.
            bus.AddConsumer(typeof(CommandConsumer<>).MakeGenericType(command.Command), typeof(CommandConsumerDefinition<>).MakeGenericType(command.Command))
                .ExcludeFromConfigureEndpoints();
        }
    }

    static void ConfigureRabbitMq(IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator rabbit)
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

        // Every outcome exchange (each event's, bound to its base type's) is declared when the bus starts, not
        // at the first publish of its type: a subscriber may bind before anything has happened.
        rabbit.DeployPublishTopology = true;
        foreach (var outcome in CommandCatalogue.Outcomes)
            rabbit.Publish(outcome);
        CommandTopology.KeepMarkerOut(rabbit);

        // Plain JSON (content type application/json) from publishers that are not MassTransit.
        rabbit.UseRawJsonDeserializer();
        var consumer = context.GetRequiredService<IOptions<ConsumerOptions>>().Value;
        rabbit.ConfigureJsonSerializerOptions(json =>
        {
            json.MaxDepth = consumer.MaxJsonDepth;
            return json;
        });
        var queues = context.GetRequiredService<CommandQueues>();
        var names = new LaneQueueNames(queues);
        rabbit.SendTopology.ErrorQueueNameFormatter = names;
        rabbit.SendTopology.DeadLetterQueueNameFormatter = names;

        var lanes = context.GetRequiredService<CorpLanes>();
        foreach (var command in CommandCatalogue.All)
            ConfigureLanes(rabbit, context, lanes, queues.InputOf(command.Command), typeof(CommandConsumer<>).MakeGenericType(command.Command), options.QueueType);
        rabbit.ConfigureEndpoints(context, endpoints =>
        {
            // One enterprise: no routers, each input queue is consumed as that enterprise's lane.
            if (lanes.Direct)
                endpoints.Exclude([.. CommandCatalogue.All.Select(command => typeof(CommandRouter<>).MakeGenericType(command.Command))]);
        });
    }

    /// <summary>The lanes of one command type; with a single enterprise its input queue is consumed as a lane too.</summary>
    static void ConfigureLanes(IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context, CorpLanes lanes, string input, Type consumer,
        QueueType queueType)
    {
        if (lanes.Direct)
        {
            // One enterprise: its commands are consumed from the input queue itself, no router, no extra hop.
            rabbit.ReceiveEndpoint(input, endpoint =>
            {
                if (queueType == QueueType.Quorum)
                    endpoint.SetQuorumQueue();
                endpoint.ConfigureConsumer(context, consumer);
            });
        }
        foreach (var queue in lanes.LanesOf(input))
        {
            rabbit.ReceiveEndpoint(queue, lane =>
            {
                // A lane is fed by the router only: it must not be bound to the command exchange as well.
                lane.ConfigureConsumeTopology = false;
                if (queueType == QueueType.Quorum)
                    lane.SetQuorumQueue();
                lane.ConfigureConsumer(context, consumer);
            });
        }
    }
}
