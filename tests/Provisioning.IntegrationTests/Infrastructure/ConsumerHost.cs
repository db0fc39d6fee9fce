using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Builder;
using Provisioning.Consumer;
using Provisioning.Consumer.Operator;
using Provisioning.Consumer.Tests;

namespace Provisioning.IntegrationTests.Infrastructure;

/// <summary>The consumer service, built by the same composition root as Program, with every log line kept.</summary>
internal sealed class ConsumerHost : IAsyncDisposable
{
    readonly IHost _host;

    readonly string _database;

    int _disposed;

    ConsumerHost(IHost host, ListLoggerProvider logs, string database, Uri? baseAddress)
    {
        _host = host;
        Logs = logs;
        _database = database;
        BaseAddress = baseAddress;
    }

    /// <summary>Where its HTTP API and console answer, when started with <c>web: true</c>.</summary>
    public Uri? BaseAddress { get; }

    public ListLoggerProvider Logs { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts the consumer; with <c>web</c> it also serves HTTP as Program does (health, API, console) on a free loopback port.</summary>
    public static async Task<ConsumerHost> StartAsync(TestBroker broker, Simulator simulator, Dictionary<string, string?>? settings = null, bool web = false)
    {
        var database = Path.Combine(Path.GetTempPath(), $"provisioning-test-{Guid.NewGuid():N}.db");
        IHostApplicationBuilder builder = web
            ? WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing", Args = ["--urls", "http://127.0.0.1:0"] })
            : Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = broker.AmqpUri.ToString(),
            ["WeCom:BaseUrl"] = simulator.BaseUrl.ToString(),
            ["WeCom:CorpId"] = Simulator.CorpId,
            ["WeCom:CorpSecret"] = simulator.Secret,
            ["WeCom:Timeout"] = "00:00:05",
            ["Consumer:RetryMinInterval"] = "00:00:00.050",
            ["Consumer:RetryMaxInterval"] = "00:00:00.200",
            ["Storage:SqlitePath"] = database,
            ["Storage:RequestLog:SqlitePath"] = database + "-log.db",
            ["Operator:KeysPath"] = database + "-keys",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        var logs = new ListLoggerProvider();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.AddProvisioningConsumer();
        IHost host;
        if (builder is WebApplicationBuilder webBuilder)
        {
            webBuilder.AddOperatorConsole();
            var app = webBuilder.Build();
            app.MapProvisioningHealth();
            app.MapOperatorConsole();
            host = app;
        }
        else
        {
            host = ((HostApplicationBuilder)builder).Build();
        }
        await host.StartAsync();
        var baseAddress = host is WebApplication started ? new Uri(started.Urls.First()) : null;
        // The host does not wait for the broker (an unreachable one must not stop the service): the tests do. A lane
        // stopped for a paused enterprise makes the bus "degraded", which is connected all the same.
        var bus = host.Services.GetRequiredService<IBusControl>();
        await Wait.Until(() => Task.FromResult(bus.CheckHealth().Status != BusHealthStatus.Unhealthy), TimeSpan.FromSeconds(30),
            "the consumer's bus to connect");
        return new ConsumerHost(host, logs, database, baseAddress);
    }

    /// <summary>Stops the host and deletes its stores; a second call (the system's, after a test stopped it) does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _host.StopAsync();
        _host.Dispose();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_database)!, Path.GetFileName(_database) + "*"))
            File.Delete(file);
        if (Directory.Exists(_database + "-keys"))
            Directory.Delete(_database + "-keys", recursive: true);
    }
}
