using System.Diagnostics;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Lifecycle;

/// <summary>
/// A member-wait delay no test could miss (30 s) and a short in-process wait: a command that goes through the
/// member-wait queue shows as a 30-second gap, and one that waits for a missing member in process gives up after 3 s.
/// </summary>
public sealed class MemberOrderSystem : ProvisioningSystem
{
    protected override Dictionary<string, string?> ConsumerSettings => new()
    {
        ["Lifecycle:MemberWaitDelay"] = "00:00:30",
        ["Lifecycle:MemberWaitInProcess"] = "00:00:03",
        ["Lifecycle:NotFoundGrace"] = "00:00:05",
    };
}

/// <summary>Issue 19: member order without needless trips through the member-wait queue, versions per aspect, and waits that cost WeCom nothing.</summary>
public sealed class MemberOrderTests(MemberOrderSystem system) : IClassFixture<MemberOrderSystem>
{
    [Fact]
    public async Task FourCommandsOfEachPerson_BackToBack_AllEndWithoutAMemberWaitQueueTrip()
    {
        // Before: a command behind one that merely waited its turn was sent to the member-wait queue (here 30 s).
        var people = Enumerable.Range(0, 15).Select(_ => ProvisioningSystem.NewCommand("burst")).ToList();
        var requests = new List<Guid>();
        var clock = Stopwatch.StartNew();
        foreach (var hire in people)
        {
            var move = new UpdateMember { RequestId = Guid.NewGuid(), UserId = hire.UserId, Position = "组长" };
            var leave = new DisableMember { RequestId = Guid.NewGuid(), UserId = hire.UserId };
            var rehire = new EnableMember { RequestId = Guid.NewGuid(), UserId = hire.UserId };
            await system.Publisher.PublishAsync(hire);
            await system.Publisher.PublishAsync(move);
            await system.Publisher.PublishAsync(leave);
            await system.Publisher.PublishAsync(rehire);
            requests.AddRange([hire.RequestId, move.RequestId, leave.RequestId, rehire.RequestId]);
        }

        foreach (var request in requests)
            await system.Outcomes.For(request, TimeSpan.FromSeconds(25));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"took {clock.Elapsed}");
        var failed = system.Outcomes.All.Where(e => requests.Contains(e.RequestId) && e.Type.EndsWith("Failed", StringComparison.Ordinal)).ToList();
        // Only what "newer wins" allows: the disable superseded by the enable sent after it, when that one ran first.
        Assert.All(failed, e => Assert.True(e.Type == nameof(MemberDisableFailed) && e.Reason == FailureReasons.Superseded, $"{e.Type} {e.Reason}: {e.Message}"));
        var ledger = await system.Simulator.LedgerAsync();
        foreach (var hire in people)
        {
            var member = ledger.Members.Single(m => m.UserId == hire.UserId);
            Assert.Equal(("组长", 4), (member.Body.GetProperty("position").GetString(), member.Status));
        }
    }

    [Fact]
    public async Task OlderUpdateAfterANewerDisable_AppliesItsPositionAndSaysTheEnableWasNotApplied()
    {
        var hire = ProvisioningSystem.NewCommand("aspects");
        await system.Publisher.PublishAsync(hire with { Version = 1 });
        Assert.Equal(nameof(MemberCreated), (await system.Outcomes.For(hire.RequestId)).Type);
        var leave = new DisableMember { RequestId = Guid.NewGuid(), UserId = hire.UserId, Version = 20 };
        await system.Publisher.PublishAsync(leave);
        Assert.Equal(nameof(MemberDisabled), (await system.Outcomes.For(leave.RequestId)).Type);

        // Before: "version 10 is older than version 20 already applied", and the move was lost.
        var move = new UpdateMember { RequestId = Guid.NewGuid(), UserId = hire.UserId, Position = "总监", Enable = true, Version = 10 };
        await system.Publisher.PublishAsync(move);

        var moved = await system.Outcomes.For(move.RequestId);
        Assert.True(moved.Type == nameof(MemberUpdated), $"{moved.Type} {moved.Reason}: {moved.Message}");
        var warning = Assert.Single(moved.Message.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("enable not applied: version 10 is older than version 20", warning, StringComparison.Ordinal);
        Assert.Equal("state", Assert.Single(moved.Message.GetProperty("notApplied").EnumerateArray()).GetString());
        var member = (await system.Simulator.LedgerAsync()).Members.Single(m => m.UserId == hire.UserId);
        Assert.Equal(("总监", 2), (member.Body.GetProperty("position").GetString(), member.Status));

        // Wholly older: superseded, nothing changes.
        var stale = new UpdateMember { RequestId = Guid.NewGuid(), UserId = hire.UserId, Enable = true, Version = 15 };
        await system.Publisher.PublishAsync(stale);
        var refused = await system.Outcomes.For(stale.RequestId);
        Assert.Equal((nameof(MemberUpdateFailed), FailureReasons.Superseded), (refused.Type, refused.Reason));
        Assert.Equal(2, (await system.Simulator.LedgerAsync()).Members.Single(m => m.UserId == hire.UserId).Status);
    }

    [Fact]
    public async Task DisableOfAMemberThatNeverComes_AsksWeComOncePerWaitNotEvery200Ms()
    {
        // Before: user/update every 200 ms for the whole grace (here about 25 calls in 5 s).
        var before = (await system.Simulator.LedgerAsync()).UserCalls;
        var ghost = new DisableMember { RequestId = Guid.NewGuid(), UserId = $"ghost-{Guid.NewGuid():N}"[..20] };

        await system.Publisher.PublishAsync(ghost);

        var failed = await system.Outcomes.For(ghost.RequestId, TimeSpan.FromSeconds(60));
        Assert.Equal((nameof(MemberDisableFailed), FailureReasons.NotFound), (failed.Type, failed.Reason));
        // Asked once, waited 3 s in process without asking, then 30 s in the member-wait queue: asked once more, past the grace.
        var calls = (await system.Simulator.LedgerAsync()).UserCalls - before;
        Assert.InRange(calls, 1, 2);
    }

    [Fact]
    public async Task SentAFarInTheFuture_IsRefusedNamingTheTimestamp_NotWaitedForUntilThen()
    {
        // Issue 19: a corrupted envelope's sent time in the future made a disable of a missing member wait (and ask WeCom)
        // until that time: it was never answered.
        var request = Guid.NewGuid();
        await system.Publisher.PublishRawAsync($$"""{"requestId":"{{request}}","userId":"future-{{request:N}}"}""",
            exchange: "Provisioning.Contracts:DisableMember", sentAt: DateTimeOffset.UtcNow.AddDays(1));

        var refused = await system.Outcomes.For(request, TimeSpan.FromSeconds(20));

        Assert.Equal((nameof(MemberDisableFailed), FailureReasons.Invalid), (refused.Type, refused.Reason));
        Assert.Equal("timestamp", refused.Message.GetProperty("errors")[0].GetProperty("field").GetString());
    }
}
