using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provisioning.Consumer;
using Provisioning.Consumer.Tests;

namespace Provisioning.IntegrationTests.Infrastructure;

/// <summary>The consumer service, built by the same composition root as Program, with every log line kept.</summary>
internal sealed class ConsumerHost : IAsyncDisposable
{
    readonly IHost _host;

    readonly string _database;

    ConsumerHost(IHost host, ListLoggerProvider logs, string database)
    {
        _host = host;
        Logs = logs;
        _database = database;
    }

    public ListLoggerProvider Logs { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<ConsumerHost> StartAsync(TestBroker broker, Simulator simulator, Dictionary<string, string?>? settings = null)
    {
        var database = Path.Combine(Path.GetTempPath(), $"provisioning-test-{Guid.NewGuid():N}.db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = broker.AmqpUri.ToString(),
            ["WeCom:BaseUrl"] = simulator.BaseUrl.ToString(),
            ["WeCom:CorpId"] = Simulator.CorpId,
            ["WeCom:CorpSecret"] = simulator.Secret,
            ["WeCom:Timeout"] = "00:00:05",
            ["Consumer:RetryMinInterval"] = "00:00:00.050",
            ["Consumer:RetryMaxInterval"] = "00:00:00.200",
            ["Idempotency:SqlitePath"] = database,
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        var logs = new ListLoggerProvider();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.AddProvisioningConsumer();
        var host = builder.Build();
        await host.StartAsync();
        // The host does not wait for the broker (an unreachable one must not stop the service): the tests do. A lane
        // stopped for a paused enterprise makes the bus "degraded", which is connected all the same.
        var bus = host.Services.GetRequiredService<IBusControl>();
        await Wait.Until(() => Task.FromResult(bus.CheckHealth().Status != BusHealthStatus.Unhealthy), TimeSpan.FromSeconds(30),
            "the consumer's bus to connect");
        return new ConsumerHost(host, logs, database);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
            File.Delete(file);
    }
}
