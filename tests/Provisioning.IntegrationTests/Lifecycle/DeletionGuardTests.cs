using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provisioning.Cli;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Lifecycle;

/// <summary>
/// The accidental-deletion guard over the real broker, two enterprises: it trips at the threshold, holds the rest while
/// creates for the same and another enterprise go on, keeps them across a restart of the consumer, and lets an operator
/// release or reject them with the CLI.
/// </summary>
public sealed class DeletionGuardTests : IAsyncLifetime
{
    const string CorpA = Simulator.CorpId;
    const string CorpB = "ww-guard-b";
    const string SecretB = "secret-of-guard-b";

    TestBroker _broker = null!;
    Simulator _simulator = null!;
    Outcomes _outcomes = null!;
    Publisher _publisher = null!;

    public async Task InitializeAsync()
    {
        _broker = await TestBroker.CreateAsync();
        _simulator = await Simulator.StartAsync(new() { [$"Simulator:Corps:{CorpB}"] = SecretB });
        _outcomes = await Outcomes.ListenAsync(_broker);
        _publisher = await Publisher.StartAsync(_broker);
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _outcomes.DisposeAsync();
        await _simulator.DisposeAsync();
        await _broker.DisposeAsync();
    }

    Task<ConsumerHost> StartConsumer() => ConsumerHost.StartAsync(_broker, _simulator, new()
    {
        [$"WeCom:Corps:{CorpB}:CorpSecret"] = SecretB,
        ["Lifecycle:DeletionThreshold"] = "3",
        ["Lifecycle:DeletionWindow"] = "01:00:00",
    });

    static async Task<HealthReportEntry> GuardHealth(ConsumerHost consumer) =>
        (await consumer.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "deletion-guard")).Entries["deletion-guard"];

    async Task<List<CreateMember>> HireAsync(string corpId, int count)
    {
        var hires = Enumerable.Range(0, count).Select(_ => ProvisioningSystem.NewCommand("leaver") with { CorpId = corpId }).ToList();
        foreach (var hire in hires)
            await _publisher.PublishAsync(hire);
        foreach (var hire in hires)
            await _outcomes.CreatedFor(hire.RequestId);
        return hires;
    }

    [Fact]
    public async Task HeldList_BeforeAnyConsumerDeclaredTheQueues_SaysThereIsNothingHeld()
    {
        var output = new StringWriter();

        var exitCode = await CliApp.RunAsync(["held", "list", "--broker", _broker.AmqpUri.ToString()], output, default);

        Assert.Equal(0, exitCode);
        Assert.Contains("disable-member_held does not exist yet: nothing to move.", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TripsAtTheThreshold_HoldsTheRestWhileOthersFlow_SurvivesARestart_AndTheOperatorDecides()
    {
        var consumer = await StartConsumer();
        var staffA = await HireAsync(CorpA, 5);
        var staffB = await HireAsync(CorpB, 1);
        var leavers = staffA.Select(h => new DisableMember { RequestId = Guid.NewGuid(), CorpId = CorpA, UserId = h.UserId }).ToList();

        foreach (var leaver in leavers)
            await _publisher.PublishAsync(leaver);
        var joinerA = ProvisioningSystem.NewCommand("joiner") with { CorpId = CorpA };
        var joinerB = ProvisioningSystem.NewCommand("joiner") with { CorpId = CorpB };
        var leaverB = new DisableMember { RequestId = Guid.NewGuid(), CorpId = CorpB, UserId = staffB[0].UserId };
        await _publisher.PublishAsync(joinerA);
        await _publisher.PublishAsync(joinerB);
        await _publisher.PublishAsync(leaverB);

        // Creates of the same and of another enterprise flow; the other enterprise has a count of its own.
        await _outcomes.CreatedFor(joinerA.RequestId);
        await _outcomes.CreatedFor(joinerB.RequestId);
        Assert.Equal(nameof(MemberDisabled), (await _outcomes.For(leaverB.RequestId)).Type);
        await Wait.Until(async () => await _broker.ReadyCountAsync("disable-member_held") == 2, null, "two disables to be held");
        await Wait.For(() => _outcomes.All.Count(e => e.Type == nameof(MemberDisabled) && e.Message.GetProperty("corpId").GetString() == CorpA) == 3 ? "" : null,
            null, "three disables of corp A to be applied");
        var held = leavers.Where(l => _outcomes.CountFor(l.RequestId) == 0).ToList();
        Assert.Equal(2, held.Count);
        var health = await GuardHealth(consumer);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("2 in disable-member_held", health.Description, StringComparison.Ordinal);
        Assert.Contains(consumer.Logs.Lines, l => l.Contains($"Deletion guard tripped for corp {CorpA}", StringComparison.Ordinal));

        // Every consumer restarts: the held commands wait in the broker, and readiness still says so.
        await consumer.DisposeAsync();
        consumer = await StartConsumer();
        Assert.Equal(HealthStatus.Degraded, (await GuardHealth(consumer)).Status);
        Assert.Equal(0, held.Sum(h => _outcomes.CountFor(h.RequestId)));

        var output = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["held", "release", "--request-id", held[0].RequestId.ToString(), "--broker", _broker.AmqpUri.ToString()], output, default));
        Assert.Equal(0, await CliApp.RunAsync(["held", "reject", "--all", "--broker", _broker.AmqpUri.ToString()], output, default));

        Assert.Equal(nameof(MemberDisabled), (await _outcomes.For(held[0].RequestId)).Type);
        var rejected = await _outcomes.For(held[1].RequestId);
        Assert.Equal(nameof(MemberDisableFailed), rejected.Type);
        Assert.Equal(FailureReasons.NotAllowed, rejected.Reason);
        await Wait.Until(async () => await _broker.ReadyCountAsync("disable-member_held") == 0, null, "the held queue to be empty");
        Assert.Equal(HealthStatus.Healthy, (await GuardHealth(consumer)).Status);
        Assert.All(leavers, l => Assert.Equal(1, _outcomes.CountFor(l.RequestId)));
        await consumer.DisposeAsync();
    }
}
