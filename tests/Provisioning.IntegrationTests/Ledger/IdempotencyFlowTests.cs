using System.Text.Json;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;
using Provisioning.WeComSimulator;

namespace Provisioning.IntegrationTests.Ledger;

/// <summary>A consumer whose WeCom calls time out after 1 s, so that a slow success looks like a failure to it.</summary>
public sealed class ImpatientSystem : ProvisioningSystem
{
    protected override Dictionary<string, string?> ConsumerSettings => new() { ["WeCom:Timeout"] = "00:00:01" };
}

/// <summary>Duplicates, timeouts that succeeded and other people's userids, over the real broker (SQLite store).</summary>
public sealed class IdempotencyFlowTests(ImpatientSystem system) : IClassFixture<ImpatientSystem>
{
    static string Json(object outcome) => JsonSerializer.Serialize(outcome, JsonSerializerOptions.Web);

    [Fact]
    public async Task SameCommandFiveTimesInSequence_CreatesOnceAndAnswersFiveTimesIdentically()
    {
        var command = ProvisioningSystem.NewCommand("seq");

        for (var i = 1; i <= 5; i++)
        {
            await system.Publisher.PublishAsync(command);
            await Wait.For(() => system.Outcomes.Created.Count(c => c.RequestId == command.RequestId) >= i ? "" : null, null, $"outcome {i}");
        }

        var outcomes = system.Outcomes.Created.Where(c => c.RequestId == command.RequestId).Select(Json).ToList();
        Assert.Equal(5, outcomes.Count);
        Assert.Single(outcomes.Distinct());
        Assert.Equal(1, (await system.Simulator.LedgerAsync()).CallsFor(command.UserId));
    }

    [Fact]
    public async Task SameCommandFiveTimesAtOnce_CreatesOnceAndAnswersFiveTimesIdentically()
    {
        var command = ProvisioningSystem.NewCommand("burst");

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => system.Publisher.PublishAsync(command)));
        await Wait.For(() => system.Outcomes.CountFor(command.RequestId) >= 5 ? "" : null, null, "five outcomes");

        var outcomes = system.Outcomes.Created.Where(c => c.RequestId == command.RequestId).Select(Json).ToList();
        Assert.Equal(5, outcomes.Count);
        Assert.Single(outcomes.Distinct());
        Assert.Equal(1, (await system.Simulator.LedgerAsync()).CallsFor(command.UserId));
    }

    [Fact]
    public async Task SlowSuccess_TimesOutThenMeets60102_AndReportsAlreadyExisted()
    {
        var command = ProvisioningSystem.NewCommand("slow");
        await system.Simulator.SetFaultsAsync(new FaultSettings { SlowSuccessMs = 2500 });
        try
        {
            await system.Publisher.PublishAsync(command);
            var created = await system.Outcomes.CreatedFor(command.RequestId);

            Assert.True(created.AlreadyExisted);
            Assert.Equal(2, created.Attempts);
            var ledger = await system.Simulator.LedgerAsync();
            Assert.Single(ledger.Members, m => string.Equals(m.UserId, command.UserId, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(2, ledger.CallsFor(command.UserId));
        }
        finally
        {
            await system.Simulator.SetFaultsAsync(new FaultSettings());
        }
    }

    [Fact]
    public async Task DifferentRequestForAnExistingUserId_IsAConflict()
    {
        var first = ProvisioningSystem.NewCommand("taken");
        await system.Publisher.PublishAsync(first);
        await system.Outcomes.CreatedFor(first.RequestId);

        var second = ProvisioningSystem.NewCommand("other") with { UserId = first.UserId.ToUpperInvariant() };
        await system.Publisher.PublishAsync(second);
        var failed = await system.Outcomes.FailedFor(second.RequestId);

        Assert.Equal(FailureReasons.Conflict, failed.Reason);
        Assert.Equal(60102, failed.ErrCode);
        Assert.Single((await system.Simulator.LedgerAsync()).Members, m => string.Equals(m.UserId, first.UserId, StringComparison.OrdinalIgnoreCase));
    }
}
