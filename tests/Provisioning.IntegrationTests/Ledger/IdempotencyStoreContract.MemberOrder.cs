using Provisioning.Storage;

namespace Provisioning.IntegrationTests.Ledger;

public abstract partial class IdempotencyStoreContract
{
    [Fact]
    public async Task TryBegin_SecondRequestOfMemberWhileFirstRuns_WaitsUnderItsLeaseWithoutAnAttempt()
    {
        var first = NewKey();
        var second = NewKey();
        await Begin(first, "a", "zhangsan");

        var claim = await Begin(second, "b", "zhangsan");
        var again = await Begin(second, "c", "zhangsan");

        Assert.Equal(ClaimStatus.WaitingForMember, claim.Status);
        Assert.Equal((first.RequestId, true), claim.BlockedBy);
        // It waits under its delivery's lease: another delivery of the same request waits for that one.
        Assert.Equal(ClaimStatus.InProgressElsewhere, again.Status);
        await Store.CompleteAsync(first, "a", succeeded: true, Outcome, null, default);
        Assert.Equal(1, (await Begin(second, "b", "zhangsan")).Attempts);
    }

    [Fact]
    public async Task TryBegin_AfterTheMembersEarlierRequestEnded_StartsAsFirstAttempt()
    {
        var first = NewKey();
        var second = NewKey();
        await Begin(first, "a", "zhangsan");
        Assert.Equal(ClaimStatus.WaitingForMember, (await Begin(second, "b", "zhangsan")).Status);
        await Store.CompleteAsync(first, "a", succeeded: false, Outcome, null, default);

        var claim = await Begin(second, "b", "zhangsan");

        Assert.Equal(ClaimStatus.Started, claim.Status);
        Assert.Equal(1, claim.Attempts);
    }

    [Fact]
    public async Task TryBegin_EarlierRequestParked_LaterWaitsAndTheEarlierKeepsItsTurn()
    {
        var first = NewKey();
        var second = NewKey();
        await Begin(first, "a", "zhangsan");
        await Store.ReleaseAsync(first, "a", 0, ReleaseAs.Retry, TimeSpan.Zero, default);
        Time.Advance(TimeSpan.FromMilliseconds(1));

        var waiting = await Begin(second, "b", "zhangsan");
        var back = await Begin(first, "c", "zhangsan");

        Assert.Equal(ClaimStatus.WaitingForMember, waiting.Status);
        Assert.Equal((first.RequestId, false), waiting.BlockedBy);
        Assert.Equal(ClaimStatus.Started, back.Status);
        Assert.Equal(2, back.Attempts);
    }

    [Fact]
    public async Task Release_FromTheBack_LetsAMemberCommandThatArrivedSinceGoFirst()
    {
        // An update placed by its arrival found no member; the create arrives a moment later.
        var update = NewKey();
        var create = NewKey();
        await Begin(update, "a", "zhangsan");
        Time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(ClaimStatus.WaitingForMember, (await Begin(create, "b", "zhangsan")).Status);
        Time.Advance(TimeSpan.FromMilliseconds(5));

        await Store.ReleaseAsync(update, "a", 0, ReleaseAs.RetryFromTheBack, TimeSpan.Zero, default);
        Time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.Equal(ClaimStatus.Started, (await Begin(create, "b", "zhangsan")).Status);
        var behind = await Begin(update, "c", "zhangsan");
        Assert.Equal(ClaimStatus.WaitingForMember, behind.Status);
        Assert.Equal((create.RequestId, true), behind.BlockedBy);
    }

    [Fact]
    public async Task Release_Exhausted_NoLongerHoldsUpTheMemberAndCanBeReplayed()
    {
        var first = NewKey();
        var second = NewKey();
        await Begin(first, "a", "zhangsan");
        await Store.ReleaseAsync(first, "a", 0, ReleaseAs.SetAside, TimeSpan.Zero, default);

        Assert.Equal(ClaimStatus.Started, (await Begin(second, "b", "zhangsan")).Status);
        await Store.CompleteAsync(second, "b", succeeded: true, Outcome, null, default);
        var replay = await Begin(first, "c", "zhangsan");
        Assert.Equal(ClaimStatus.Started, replay.Status);
        Assert.Equal(2, replay.Attempts);
    }

    [Fact]
    public async Task TryBegin_UserIdInAnotherCase_IsTheSameMember()
    {
        await Begin(NewKey(), "a", "ZhangSan");

        Assert.Equal(ClaimStatus.WaitingForMember, (await Begin(NewKey(), "b", "zhangsan")).Status);
        Assert.Equal(ClaimStatus.Started, (await Begin(NewKey("ww2"), "b", "zhangsan")).Status);
    }

    [Fact]
    public async Task TryBegin_SentEarlierButArrivingLater_WaitsForTheRunningOneThenGoesFirst()
    {
        var at = Time.GetUtcNow();
        var sentFirst = NewKey();
        var sentSecond = NewKey();
        Task<IdempotencyClaim> Claim(IdempotencyKey key, DateTimeOffset sentAt, string owner) =>
            Store.TryBeginAsync(key, "zhangsan", new MemberRevision(null, sentAt), owner, Lease, default);

        // The later one reached a consumer first and runs; the earlier one never runs beside it.
        Assert.Equal(ClaimStatus.Started, (await Claim(sentSecond, at.AddMilliseconds(1), "a")).Status);
        var meanwhile = await Claim(sentFirst, at, "b");
        Assert.Equal((sentSecond.RequestId, true), meanwhile.BlockedBy);

        // The later one is released (WeCom had no member yet): the earlier one goes first, and the later one waits for it.
        await Store.ReleaseAsync(sentSecond, "a", 0, ReleaseAs.Retry, TimeSpan.Zero, default);
        Assert.Equal(ClaimStatus.Started, (await Claim(sentFirst, at, "b")).Status);
        var back = await Claim(sentSecond, at.AddMilliseconds(1), "c");
        Assert.Equal(ClaimStatus.WaitingForMember, back.Status);
        Assert.Equal(sentFirst.RequestId, back.BlockedBy!.Value.RequestId);
    }

    [Fact]
    public async Task TryBegin_BehindOneWaitingInProcess_SeesItAliveNotParked()
    {
        // Issue 19: a waiting row and a parked row looked the same, so a command behind one that merely waited (for its
        // own turn, or for its member to appear) went to the member-wait queue for seconds.
        var first = NewKey();
        var second = NewKey();
        await Begin(first, "a", "zhangsan");
        await Store.ReleaseAsync(first, "a", 0, ReleaseAs.Wait, Lease, default);
        Time.Advance(TimeSpan.FromMilliseconds(1));

        var behind = await Begin(second, "b", "zhangsan");
        Assert.Equal(ClaimStatus.WaitingForMember, behind.Status);
        Assert.Equal((first.RequestId, true), behind.BlockedBy);
        // A duplicate of the waiting one waits for its delivery; that delivery claims it again.
        Assert.Equal(ClaimStatus.InProgressElsewhere, (await Begin(first, "c", "zhangsan")).Status);
        Assert.Equal(ClaimStatus.Started, (await Begin(first, "a", "zhangsan")).Status);

        // Parked (its delivery went to a queue): the one behind it goes to a queue too.
        await Store.ReleaseAsync(first, "a", 0, ReleaseAs.Retry, TimeSpan.Zero, default);
        Assert.Equal((first.RequestId, false), (await Begin(second, "b", "zhangsan")).BlockedBy);
    }

    [Fact]
    public async Task TryBegin_BehindAWaitingOneWithAnExpiredLease_SeesItParked()
    {
        var first = NewKey();
        await Begin(first, "a", "zhangsan");
        await Store.ReleaseAsync(first, "a", 0, ReleaseAs.Wait, TimeSpan.FromSeconds(5), default);
        Time.Advance(TimeSpan.FromSeconds(6));

        // Its delivery died while it waited: parked, and any delivery of it may take it over.
        Assert.Equal((first.RequestId, false), (await Begin(NewKey(), "b", "zhangsan")).BlockedBy);
        Assert.Equal(ClaimStatus.Started, (await Begin(first, "c", "zhangsan")).Status);
    }

    [Fact]
    public async Task TryBegin_TwoWaitingOnes_DoNotBlockEachOtherAsRunning()
    {
        var at = Time.GetUtcNow();
        Task<IdempotencyClaim> Claim(IdempotencyKey key, DateTimeOffset sentAt, string owner) =>
            Store.TryBeginAsync(key, "zhangsan", new MemberRevision(null, sentAt), owner, Lease, default);
        var running = NewKey();
        var sentLast = NewKey();
        var sentBetween = NewKey();
        Assert.Equal(ClaimStatus.Started, (await Claim(running, at, "a")).Status);
        Assert.Equal((running.RequestId, true), (await Claim(sentLast, at.AddMilliseconds(2), "b")).BlockedBy);
        Assert.Equal((running.RequestId, true), (await Claim(sentBetween, at.AddMilliseconds(1), "c")).BlockedBy);

        await Store.CompleteAsync(running, "a", succeeded: true, Outcome, null, default);

        // The one sent earlier goes first, although the later one arrived before it and still waits; then the later one.
        Assert.Equal(ClaimStatus.Started, (await Claim(sentBetween, at.AddMilliseconds(1), "c")).Status);
        Assert.Equal((sentBetween.RequestId, true), (await Claim(sentLast, at.AddMilliseconds(2), "b")).BlockedBy);
    }
}
