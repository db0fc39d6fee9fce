using Provisioning.Cli;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;
using Provisioning.WeComSimulator;

namespace Provisioning.IntegrationTests.Retries;

/// <summary>Shortened tiers (1 s, 2 s) and two in-process retries, so that the whole retry path runs in seconds.</summary>
public sealed class ShortRetrySystem : ProvisioningSystem
{
    protected override Dictionary<string, string?> ConsumerSettings => new()
    {
        ["Consumer:RetryLimit"] = "2",
        ["Retry:Delays:0"] = "00:00:01",
        ["Retry:Delays:1"] = "00:00:02",
        ["WeCom:Timeout"] = "00:00:02",
    };
}

/// <summary>Layered retries over the real broker: in process, parked in TTL queues, dead-lettered, replayed.</summary>
public sealed class RetryFlowTests(ShortRetrySystem system) : IClassFixture<ShortRetrySystem>
{
    bool WasParked(CreateMember command) =>
        system.Consumer.Logs.Lines.Any(l => l.Contains($"Member {command.UserId} (request {command.RequestId}) parked", StringComparison.Ordinal));

    [Fact]
    public async Task BusyTwiceThenSuccess_IsHealedInProcessWithoutParking()
    {
        var command = ProvisioningSystem.NewCommand("busy");
        await system.Simulator.ScriptErrorsAsync(-1, -1);

        await system.Publisher.PublishAsync(command);
        var created = await system.Outcomes.CreatedFor(command.RequestId);

        Assert.Equal(3, created.Attempts);
        Assert.False(WasParked(command));
        Assert.Equal(3, (await system.Simulator.LedgerAsync()).CallsFor(command.UserId));
    }

    [Fact]
    public async Task WeComDownLongerThanInProcessRetries_IsParkedAndSucceedsWhenWeComReturns()
    {
        var command = ProvisioningSystem.NewCommand("down");
        await system.Simulator.SetFaultsAsync(new FaultSettings { Down = true });
        try
        {
            await system.Publisher.PublishAsync(command);
            await Wait.For(() => WasParked(command) ? "" : null, null, "the command to be parked");
        }
        finally
        {
            await system.Simulator.SetFaultsAsync(new FaultSettings());
        }

        var created = await system.Outcomes.CreatedFor(command.RequestId);

        Assert.True(created.Attempts >= 4, $"attempts {created.Attempts}");
        Assert.DoesNotContain(system.Outcomes.Failed, f => f.RequestId == command.RequestId);
    }

    [Fact]
    public async Task AlwaysTransient_EndsInErrorQueueWithRetriesExhausted_AndReplaySucceeds()
    {
        var command = ProvisioningSystem.NewCommand("exhaust");
        await system.Simulator.SetFaultsAsync(new FaultSettings { BusyRate = 1.0 });
        MemberCreationFailed exhausted;
        try
        {
            await system.Publisher.PublishAsync(command);
            exhausted = await system.Outcomes.FailedFor(command.RequestId);
        }
        finally
        {
            await system.Simulator.SetFaultsAsync(new FaultSettings());
        }

        Assert.Equal(FailureReasons.RetriesExhausted, exhausted.Reason);
        Assert.Equal(-1, exhausted.ErrCode);
        Assert.Equal(0, (await system.Simulator.LedgerAsync()).Members.Count(m => m.UserId == command.UserId));
        var output = new StringWriter();
        await Wait.Until(async () =>
        {
            output.GetStringBuilder().Clear();
            await CliApp.RunAsync(["replay", "--broker", system.Broker.AmqpUri.ToString(), "--request-id", command.RequestId.ToString(), "--dry-run"], output, default);
            return output.ToString().Contains("would replay", StringComparison.Ordinal);
        }, null, "the command in create-member_error");
        Assert.Contains("errcode -1", output.ToString(), StringComparison.Ordinal);

        var exitCode = await CliApp.RunAsync(["replay", "--broker", system.Broker.AmqpUri.ToString(), "--request-id", command.RequestId.ToString()], output, default);
        var created = await system.Outcomes.CreatedFor(command.RequestId);

        Assert.Equal(0, exitCode);
        Assert.False(created.AlreadyExisted);
        Assert.Single((await system.Simulator.LedgerAsync()).Members, m => m.UserId == command.UserId);
    }
}
