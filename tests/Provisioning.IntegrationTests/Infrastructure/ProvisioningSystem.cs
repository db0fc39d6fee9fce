using Provisioning.Contracts;

namespace Provisioning.IntegrationTests.Infrastructure;

/// <summary>
/// One whole system per test class: a fresh virtual host on the real broker, the WeCom simulator, the consumer
/// service, an outcome listener and a publisher. Tests in a class share it and use distinct userids and mobiles.
/// </summary>
public class ProvisioningSystem : IAsyncLifetime
{
    static int _sequence;

    // Random mobiles collide: 2,000 of them drawn from 90 million numbers share one in about 2 % of runs, and WeCom
    // then answers 60104. A random start and a sequence keep them unique within a test run.
    static readonly int MobileBase = Random.Shared.Next(0, 50_000_000);

    internal TestBroker Broker { get; private set; } = null!;
    internal Simulator Simulator { get; private set; } = null!;
    internal ConsumerHost Consumer { get; private set; } = null!;
    internal Outcomes Outcomes { get; private set; } = null!;
    internal Publisher Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await TestBroker.CreateAsync();
        Simulator = await Simulator.StartAsync();
        Consumer = await ConsumerHost.StartAsync(Broker, Simulator, ConsumerSettings, Web);
        Outcomes = await Outcomes.ListenAsync(Broker);
        Publisher = await Publisher.StartAsync(Broker);
    }

    /// <summary>Settings on top of the test defaults, for fixtures that need another consumer configuration.</summary>
    protected virtual Dictionary<string, string?>? ConsumerSettings => null;

    /// <summary>Whether the consumer also serves its HTTP API and console (<see cref="ConsumerHost.BaseAddress"/>).</summary>
    protected virtual bool Web => false;

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Outcomes.DisposeAsync();
        await Consumer.DisposeAsync();
        await Simulator.DisposeAsync();
        await Broker.DisposeAsync();
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
