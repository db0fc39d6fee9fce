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
public sealed class DeletionGuardTests() : SystemPerTest(new SystemOptions
{
    SimulatorSettings = new() { [$"Simulator:Corps:{CorpB}"] = SecretB },
    Consumer = false,
})
{
    const string CorpA = Simulator.CorpId;
    const string CorpB = "ww-guard-b";
    const string SecretB = "secret-of-guard-b";

    Task<ConsumerHost> StartConsumer() => Sys.StartConsumerAsync(new()
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
            await Sys.Publisher.PublishAsync(hire);
        foreach (var hire in hires)
            await Sys.Outcomes.CreatedFor(hire.RequestId);
        return hires;
    }

    [Fact]
    public async Task HeldList_BeforeAnyConsumerDeclaredTheQueues_SaysThereIsNothingHeld()
    {
        var output = new StringWriter();

        var exitCode = await CliApp.RunAsync(["held", "list", "--broker", Sys.Broker.AmqpUri.ToString()], output, default);

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
            await Sys.Publisher.PublishAsync(leaver);
        var joinerA = ProvisioningSystem.NewCommand("joiner") with { CorpId = CorpA };
        var joinerB = ProvisioningSystem.NewCommand("joiner") with { CorpId = CorpB };
        var leaverB = new DisableMember { RequestId = Guid.NewGuid(), CorpId = CorpB, UserId = staffB[0].UserId };
        await Sys.Publisher.PublishAsync(joinerA);
        await Sys.Publisher.PublishAsync(joinerB);
        await Sys.Publisher.PublishAsync(leaverB);

        // Creates of the same and of another enterprise flow; the other enterprise has a count of its own.
        await Sys.Outcomes.CreatedFor(joinerA.RequestId);
        await Sys.Outcomes.CreatedFor(joinerB.RequestId);
        Assert.Equal(nameof(MemberDisabled), (await Sys.Outcomes.For(leaverB.RequestId)).Type);
        await Wait.Until(async () => await Sys.Broker.ReadyCountAsync("disable-member_held") == 2, null, "two disables to be held");
        await Wait.For(() => Sys.Outcomes.All.Count(e => e.Type == nameof(MemberDisabled) && e.Message.GetProperty("corpId").GetString() == CorpA) == 3 ? "" : null,
            null, "three disables of corp A to be applied");
        var held = leavers.Where(l => Sys.Outcomes.CountFor(l.RequestId) == 0).ToList();
        Assert.Equal(2, held.Count);
        var health = await GuardHealth(consumer);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("2 in disable-member_held", health.Description, StringComparison.Ordinal);
        Assert.Contains(consumer.Logs.Lines, l => l.Contains($"Deletion guard tripped for corp {CorpA}", StringComparison.Ordinal));

        // Every consumer restarts: the held commands wait in the broker, and readiness still says so.
        await consumer.DisposeAsync();
        consumer = await StartConsumer();
        Assert.Equal(HealthStatus.Degraded, (await GuardHealth(consumer)).Status);
        Assert.Equal(0, held.Sum(h => Sys.Outcomes.CountFor(h.RequestId)));

        var output = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["held", "release", "--request-id", held[0].RequestId.ToString(), "--broker", Sys.Broker.AmqpUri.ToString()], output, default));
        Assert.Equal(0, await CliApp.RunAsync(["held", "reject", "--all", "--broker", Sys.Broker.AmqpUri.ToString()], output, default));

        Assert.Equal(nameof(MemberDisabled), (await Sys.Outcomes.For(held[0].RequestId)).Type);
        var rejected = await Sys.Outcomes.For(held[1].RequestId);
        Assert.Equal(nameof(MemberDisableFailed), rejected.Type);
        Assert.Equal(FailureReasons.NotAllowed, rejected.Reason);
        await Wait.Until(async () => await Sys.Broker.ReadyCountAsync("disable-member_held") == 0, null, "the held queue to be empty");
        Assert.Equal(HealthStatus.Healthy, (await GuardHealth(consumer)).Status);
        Assert.All(leavers, l => Assert.Equal(1, Sys.Outcomes.CountFor(l.RequestId)));
    }
}
