using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Provisioning.Consumer.RequestLog;
using Provisioning.Consumer.Storage;
using Provisioning.Consumer.Tests.Storage;
using Provisioning.Consumer.Transport;
using Provisioning.Operations;
using Provisioning.Storage;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Tests.Pipeline;

/// <summary>
/// The production wiring of the pipeline (<c>AddWeCom</c>, <c>AddIdempotency</c>, <c>AddRequestLog</c>,
/// <c>AddCommandTransport</c>) from settings, in MassTransit's in-memory harness instead of RabbitMQ. Replaced: the WeCom
/// client (a fake), the ledger (wrapped by <see cref="FlakyStore"/>), and the background services: none runs unless a test
/// starts it (the provisioning log's writer: <c>RequestLogRecordingTests</c>).
/// </summary>
internal static class PipelineHarness
{
    public static ServiceProvider Build(FakeWeComClient wecom, string database, LifecycleOptions lifecycle, Action<IBusRegistrationConfigurator> consumers,
        IWeComClient? client = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeCom:CorpId"] = "ww-default",
            ["WeCom:CorpSecret"] = "s",
            ["Storage:SqlitePath"] = database,
            ["Storage:LeaseDuration"] = "00:00:05",
            ["Storage:RequestLog:SqlitePath"] = database + "-log.db",
            ["Consumer:RetryLimit"] = "2",
            ["Consumer:RetryMinInterval"] = "00:00:00",
            ["Consumer:RetryMaxInterval"] = "00:00:00",
            // Lanes and parking are the broker's side; these tests never pause an enterprise, so neither is ever used here.
            ["RabbitMq:ConnectionString"] = "amqp://localhost",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddMetrics();
        services.AddWeCom();
        services.AddIdempotency();
        services.AddRequestLog();
        services.AddCommandTransport();

        services.AddSingleton(Options.Create(lifecycle));
        services.Replace(ServiceDescriptor.Singleton<IWeComClient>(client ?? wecom));
        services.AddSingleton(provider => new FlakyStore(ActivatorUtilities.CreateInstance<SqliteRequestLedger>(provider)));
        services.Replace(ServiceDescriptor.Singleton(provider => new GuardedRequestLedger(provider.GetRequiredService<FlakyStore>())));
        services.RemoveAll<IHostedService>();
        services.AddMassTransitTestHarness(consumers);
        // The harness stops looking for messages once the bus has been idle this long; generous, so that a slow CI
        // machine cannot make an expected message look absent (it only lengthens the "nothing else" checks).
        services.Configure<TestHarnessOptions>(options => options.TestInactivityTimeout = TimeSpan.FromSeconds(2.5));
        return services.BuildServiceProvider(true);
    }
}
