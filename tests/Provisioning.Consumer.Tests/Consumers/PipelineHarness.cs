using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioning.Storage;
using Provisioning.Consumer.Pipeline;
using Provisioning.Operations;
using Provisioning.Consumer.RequestLog;
using Provisioning.Storage.RequestLog;
using Provisioning.Consumer.Tests.Idempotency;
using Provisioning.WeCom;
using Provisioning.Consumer.Transport;

namespace Provisioning.Consumer.Tests.Consumers;

/// <summary>The member pipeline in MassTransit's in-memory harness, with a fake WeCom client and a real SQLite store.</summary>
internal static class PipelineHarness
{
    public static ServiceProvider Build(FakeWeComClient wecom, string database, LifecycleOptions lifecycle, Action<IBusRegistrationConfigurator> consumers,
        IWeComClient? client = null)
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton(client ?? wecom);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new CorpDirectory(Options.Create(new WeComOptions { CorpId = "ww-default", CorpSecret = "s" })));
        services.AddCommandPipeline();
        services.AddSingleton<WeComThrottle>();
        services.AddSingleton<CommandQueues>();
        services.AddSingleton(Options.Create(new WeComLimitsOptions()));
        services.AddSingleton<WeComAvailability>();
        // Lanes and parking are the broker's side; these tests never pause an enterprise, so neither is ever used here.
        services.AddSingleton(Options.Create(new RabbitMqOptions { ConnectionString = "amqp://localhost" }));
        services.AddSingleton(Options.Create(new RetryOptions()));
        services.AddSingleton<RetryParking>();
        services.AddSingleton(Options.Create(lifecycle));
        services.AddSingleton<CorpLanes>();
        services.AddLogging();
        services.AddSingleton(Options.Create(new IdempotencyOptions { SqlitePath = database, LeaseDuration = TimeSpan.FromSeconds(5) }));
        services.AddSingleton<SqliteRequestLedger>();
        services.AddSingleton(provider => new FlakyStore(provider.GetRequiredService<SqliteRequestLedger>()));
        services.AddSingleton(provider => new GuardedRequestLedger(provider.GetRequiredService<FlakyStore>()));
        services.AddSingleton<IRequestLedger>(provider => provider.GetRequiredService<GuardedRequestLedger>());
        services.AddSingleton<IRemovalCounter>(provider => provider.GetRequiredService<GuardedRequestLedger>());
        services.AddSingleton<ProvisioningInstrumentation>();
        // The provisioning log: recorded by the pipeline; its writer runs only where a test starts it (RequestLogRecordingTests).
        services.AddSingleton(Options.Create(new RequestLogOptions()));
        services.AddSingleton<RequestLogBuffer>();
        services.AddSingleton(_ => RequestLogStore.Sqlite(database + "-log.db"));
        services.AddSingleton<RequestLogRecorder>();
        services.AddSingleton<RequestLogWriter>();
        services.AddSingleton(Options.Create(new ConsumerOptions { RetryLimit = 2, RetryMinInterval = TimeSpan.Zero, RetryMaxInterval = TimeSpan.Zero }));
        services.AddMassTransitTestHarness(consumers);
        // The harness stops looking for messages once the bus has been idle this long; generous, so that a slow CI
        // machine cannot make an expected message look absent (it only lengthens the "nothing else" checks).
        services.Configure<TestHarnessOptions>(options => options.TestInactivityTimeout = TimeSpan.FromSeconds(2.5));
        return services.BuildServiceProvider(true);
    }
}
