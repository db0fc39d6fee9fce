using Provisioning.Contracts;

namespace Provisioning.IntegrationTests.Infrastructure;

/// <summary>What a <see cref="ProvisioningSystem"/> starts with; every part may be left out by a test that builds it otherwise.</summary>
public sealed record SystemOptions
{
    /// <summary>The node its virtual host is made on (a throw-away chaos node, say); the shared broker when null.</summary>
    public BrokerNode? Node { get; init; }

    /// <summary>How the virtual host's name starts (the rest is random), so that a leftover one names its test.</summary>
    public string VirtualHostPrefix { get; init; } = "test";

    /// <summary>The WeCom simulator's settings on top of its defaults (another enterprise, latency).</summary>
    public Dictionary<string, string?>? SimulatorSettings { get; init; }

    /// <summary>Whether the consumer host starts with the system; without it a test starts it with <see cref="ProvisioningSystem.StartConsumerAsync"/>.</summary>
    public bool Consumer { get; init; } = true;

    /// <summary>Settings on top of the test defaults for the consumer host started with the system.</summary>
    public Dictionary<string, string?>? ConsumerSettings { get; init; }

    /// <summary>Whether the consumer host started with the system also serves its HTTP API and console.</summary>
    public bool Web { get; init; }

    /// <summary>
    /// Whether the outcome listener and the publisher start with the system. The listener declares the outcome exchanges:
    /// a test of what the consumer itself declares leaves them out.
    /// </summary>
    public bool Clients { get; init; } = true;
}

/// <summary>
/// A whole system on the real broker: a fresh virtual host, the WeCom simulator, the consumer service (the production
/// composition root, in process, or the consumer's own process), an outcome listener and a publisher. As a class fixture
/// it serves every test of a class (they use distinct userids and mobiles); a test whose assertions need a system of its
/// own starts one with <see cref="StartAsync"/>. Whatever it started, the test's consumers, processes and databases
/// included, it stops and deletes on disposal, in reverse order, also when the test failed or a step of the disposal did.
/// </summary>
public class ProvisioningSystem : IAsyncLifetime, IAsyncDisposable
{
    static int _sequence;

    // Random mobiles collide: 2,000 of them drawn from 90 million numbers share one in about 2 % of runs, and WeCom
    // then answers 60104. A random start and a sequence keep them unique within a test run.
    static readonly int MobileBase = Random.Shared.Next(0, 50_000_000);

    readonly Stack<Func<ValueTask>> _cleanup = new();
    readonly SystemOptions? _options;

    /// <summary>For xunit (a class fixture); its configuration comes from the overridable properties below.</summary>
    public ProvisioningSystem()
    {
    }

    ProvisioningSystem(SystemOptions options) => _options = options;

    internal TestBroker Broker { get; private set; } = null!;
    internal Simulator Simulator { get; private set; } = null!;

    /// <summary>The consumer host started with the system (null when <see cref="SystemOptions.Consumer"/> is off).</summary>
    internal ConsumerHost Consumer { get; private set; } = null!;
    internal Outcomes Outcomes { get; private set; } = null!;
    internal Publisher Publisher { get; private set; } = null!;

    /// <summary>A folder of the system's own for databases and files, deleted with it (after the consumers stopped).</summary>
    internal string Folder { get; private set; } = null!;

    /// <summary>Settings on top of the test defaults, for fixtures that need another consumer configuration.</summary>
    protected virtual Dictionary<string, string?>? ConsumerSettings => null;

    /// <summary>Whether the consumer also serves its HTTP API and console (<see cref="ConsumerHost.BaseAddress"/>).</summary>
    protected virtual bool Web => false;

    SystemOptions Options => _options ?? new SystemOptions { ConsumerSettings = ConsumerSettings, Web = Web };

    /// <summary>A system for one test: <c>await using var system = await ProvisioningSystem.StartAsync(new() { … });</c></summary>
    internal static async Task<ProvisioningSystem> StartAsync(SystemOptions? options = null)
    {
        var system = new ProvisioningSystem(options ?? new SystemOptions());
        await system.InitializeAsync();
        return system;
    }

    public async Task InitializeAsync()
    {
        var options = Options;
        try
        {
            var folder = Directory.CreateTempSubdirectory("provisioning-system-");
            Folder = folder.FullName;
            OnDispose(() => folder.Delete(recursive: true));
            Broker = Track(await TestBroker.CreateAsync(options.Node, options.VirtualHostPrefix));
            Simulator = Track(await Simulator.StartAsync(options.SimulatorSettings));
            if (options.Consumer)
                Consumer = await StartConsumerAsync(options.ConsumerSettings, options.Web);
            if (options.Clients)
            {
                Outcomes = Track(await Outcomes.ListenAsync(Broker));
                Publisher = Track(await Publisher.StartAsync(Broker));
            }
        }
        catch (Exception failure)
        {
            // What did start is stopped; the failure to start is what the test reports.
            try
            {
                await DisposeAsync();
            }
            catch (Exception cleanup)
            {
                throw new AggregateException(failure, cleanup);
            }
            throw;
        }
    }

    /// <summary>The consumer host (the production composition root, in process), stopped with the system unless the test stops it first.</summary>
    internal async Task<ConsumerHost> StartConsumerAsync(Dictionary<string, string?>? settings = null, bool web = false) =>
        Track(await ConsumerHost.StartAsync(Broker, Simulator, settings, web));

    /// <summary>
    /// The consumer's own process (a replica, one to kill), started once it consumes; killed with the system. Its stores
    /// are in <see cref="Folder"/> unless <paramref name="settings"/> say otherwise.
    /// </summary>
    internal async Task<ConsumerProcess> StartConsumerProcessAsync(Dictionary<string, string> settings) =>
        Track(await ConsumerProcess.StartAsync(Broker, Simulator, WithStoreInFolder(settings)));

    /// <summary>The consumer's process with exactly this environment (<see cref="ConsumerProcess.EnvironmentFor"/>), not waited for; killed with the system.</summary>
    internal ConsumerProcess LaunchConsumerProcess(Dictionary<string, string> environment) => Track(ConsumerProcess.Launch(environment));

    /// <summary>The environment of a consumer process of this system (<see cref="ConsumerProcess.EnvironmentFor"/>, stores in <see cref="Folder"/>).</summary>
    internal Dictionary<string, string> ConsumerEnvironment(Dictionary<string, string> settings) =>
        ConsumerProcess.EnvironmentFor(Broker, Simulator, WithStoreInFolder(settings));

    Dictionary<string, string> WithStoreInFolder(Dictionary<string, string> settings) =>
        new(settings) { ["Storage__SqlitePath"] = settings.GetValueOrDefault("Storage__SqlitePath") ?? Path.Combine(Folder, "idempotency.db") };

    /// <summary>A fresh PostgreSQL database (on the test server, or on <paramref name="server"/>), dropped with the system.</summary>
    internal async Task<TestPostgres> CreateDatabaseAsync(string? server = null) => Track(await TestPostgres.CreateAsync(server));

    /// <summary>Disposes <paramref name="disposable"/> with the system, before whatever was tracked earlier.</summary>
    internal T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        OnDispose(() => disposable.DisposeAsync());
        return disposable;
    }

    /// <summary>Runs <paramref name="cleanup"/> with the system's disposal, before what was registered earlier.</summary>
    internal void OnDispose(Action cleanup) => OnDispose(() =>
    {
        cleanup();
        return ValueTask.CompletedTask;
    });

    internal void OnDispose(Func<ValueTask> cleanup)
    {
        lock (_cleanup)
            _cleanup.Push(cleanup);
    }

    public async Task DisposeAsync()
    {
        var failures = new List<Exception>();
        while (true)
        {
            Func<ValueTask> next;
            lock (_cleanup)
            {
                if (!_cleanup.TryPop(out next!))
                    break;
            }
            try
            {
                await next();
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }
        if (failures.Count > 0)
            throw new AggregateException("Stopping the test system failed", failures);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A valid command with a fresh request id, userid and mobile.</summary>
    public static CreateMember NewCommand(string prefix = "user")
    {
        var n = Interlocked.Increment(ref _sequence);
        var unique = Guid.NewGuid().ToString("N")[..8];
        return new CreateMember
        {
            RequestId = Guid.NewGuid(),
            UserId = $"{prefix}-{unique}",
            Name = $"测试成员{n}",
            Mobile = $"139{MobileBase + n:D8}",
            Departments = [new DepartmentMembership { Id = 1 }],
        };
    }
}

/// <summary>
/// A system of its own for each test of a class (xunit makes an instance of the class per test): for tests whose
/// assertions need a virtual host and a WeCom of their own, or a consumer they start, stop or configure themselves.
/// </summary>
public abstract class SystemPerTest(SystemOptions options) : IAsyncLifetime
{
    /// <summary>This test's system (not named System, which would hide the namespace in the test classes).</summary>
    internal ProvisioningSystem Sys { get; private set; } = null!;

    public async Task InitializeAsync() => Sys = await ProvisioningSystem.StartAsync(options);

    public Task DisposeAsync() => Sys?.DisposeAsync() ?? Task.CompletedTask;
}
