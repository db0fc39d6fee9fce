using Microsoft.Extensions.Time.Testing;
using Provisioning.Storage;

namespace Provisioning.IntegrationTests.Idempotency;

/// <summary>One contract for every idempotency store, run against each real database.</summary>
public abstract class IdempotencyStoreContract : IAsyncLifetime
{
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    static readonly StoredOutcome Outcome = new("MemberCreated", """{"requestId":"x","userId":"zhangsan"}""");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    IRequestLedger Store { get; set; } = null!;

    protected abstract Task<IRequestLedger> CreateStoreAsync();

    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public Task DisposeAsync() => DisposeStoreAsync();

    static IdempotencyKey NewKey(string corp = "ww1") => new(corp, Guid.NewGuid());

    // Each request its own member unless a test says otherwise: member order is tested on its own below.
    Task<IdempotencyClaim> Begin(IdempotencyKey key, string owner, string? userId = null, long? version = null) =>
        Store.TryBeginAsync(key, userId ?? $"u{key.RequestId:N}", new MemberRevision(version, null), owner, Lease, default);

    [Fact]
    public async Task TryBegin_NewRequest_StartsFirstAttempt()
    {
        var claim = await Begin(NewKey(), "a");

        Assert.Equal(ClaimStatus.Started, claim.Status);
        Assert.Equal(1, claim.Attempts);
    }

    [Fact]
    public async Task TryBegin_SameOwnerAgain_StartsNextAttempt()
    {
        var key = NewKey();
        await Begin(key, "a");

        var claim = await Begin(key, "a");

        Assert.Equal(ClaimStatus.Started, claim.Status);
        Assert.Equal(2, claim.Attempts);
    }

    [Fact]
    public async Task TryBegin_OtherOwnerUnderLiveLease_IsInProgressElsewhereUntilLeaseEnd()
    {
        var key = NewKey();
        await Begin(key, "a");
        Time.Advance(Lease - TimeSpan.FromSeconds(1));

        var claim = await Begin(key, "b");

        Assert.Equal(ClaimStatus.InProgressElsewhere, claim.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 30, TimeSpan.Zero), claim.LeaseExpiresAt!.Value.ToUniversalTime());
    }

    [Fact]
    public async Task TryBegin_OtherOwnerAfterLeaseExpired_TakesOverAsSecondAttempt()
    {
        var key = NewKey();
        await Begin(key, "a");
        Time.Advance(Lease);

        var claim = await Begin(key, "b");

        Assert.Equal(ClaimStatus.Started, claim.Status);
        Assert.Equal(2, claim.Attempts);
        Assert.Equal(ClaimStatus.InProgressElsewhere, (await Begin(key, "a")).Status);
    }

    [Fact]
    public async Task TryBegin_AfterComplete_ReturnsTheStoredOutcomeToAnyone()
    {
        var key = NewKey();
        await Begin(key, "a");
        Assert.True(await Store.CompleteAsync(key, "a", succeeded: true, Outcome, null, default));

        var again = await Begin(key, "b");
        var own = await Begin(key, "a");

        Assert.Equal(ClaimStatus.Completed, again.Status);
        Assert.Equal(Outcome, again.Outcome);
        Assert.Equal(ClaimStatus.Completed, own.Status);
    }

    [Fact]
    public async Task Complete_ByWhoDoesNotOwnTheLease_IsRefused()
    {
        var key = NewKey();
        await Begin(key, "a");

        Assert.False(await Store.CompleteAsync(key, "b", succeeded: true, Outcome, null, default));
        Assert.Equal(ClaimStatus.InProgressElsewhere, (await Begin(key, "c")).Status);
    }

    [Fact]
    public async Task Release_LetsTheNextAttemptStartAtOnceAndCountsIt()
    {
        var key = NewKey();
        await Begin(key, "a");

        await Store.ReleaseAsync(key, "a", 0, ReleaseAs.Retry, TimeSpan.Zero, default);
        var claim = await Begin(key, "b");

        Assert.Equal(ClaimStatus.Started, claim.Status);
        Assert.Equal(2, claim.Attempts);
    }

    [Fact]
    public async Task Release_WithInProcessRetries_CountsThemAsAttempts()
    {
        var key = NewKey();
        await Begin(key, "a");

        await Store.ReleaseAsync(key, "a", 2, ReleaseAs.Retry, TimeSpan.Zero, default);

        Assert.Equal(4, (await Begin(key, "b")).Attempts);
    }

    [Fact]
    public async Task Release_ByWhoDoesNotOwnTheLease_ChangesNothing()
    {
        var key = NewKey();
        await Begin(key, "a");

        await Store.ReleaseAsync(key, "b", 0, ReleaseAs.Retry, TimeSpan.Zero, default);

        Assert.Equal(ClaimStatus.InProgressElsewhere, (await Begin(key, "b")).Status);
    }

    [Fact]
    public async Task SameRequestIdInAnotherCorp_IsAnotherRequest()
    {
        var key = NewKey("ww1");
        await Begin(key, "a");

        var claim = await Begin(key with { CorpId = "ww2" }, "b");

        Assert.Equal(ClaimStatus.Started, claim.Status);
        Assert.Equal(1, claim.Attempts);
    }

    [Fact]
    public async Task TryBegin_ManyOwnersAtOnce_ExactlyOneStarts()
    {
        var key = NewKey();

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Begin(key, $"owner-{i}"))));

        Assert.Single(claims, c => c.Status == ClaimStatus.Started);
        Assert.Equal(19, claims.Count(c => c.Status == ClaimStatus.InProgressElsewhere));
    }

    [Fact]
    public async Task Purge_DeletesEndedEntriesPastRetentionOnly()
    {
        var old = NewKey();
        var inProgress = NewKey();
        await Begin(old, "a");
        await Store.CompleteAsync(old, "a", succeeded: false, Outcome, null, default);
        await Begin(inProgress, "a");
        Time.Advance(TimeSpan.FromDays(31));
        var recent = NewKey();
        await Begin(recent, "a");
        await Store.CompleteAsync(recent, "a", succeeded: true, Outcome, null, default);

        var deleted = await Store.PurgeAsync(Time.GetUtcNow() - TimeSpan.FromDays(30), default);

        Assert.True(deleted >= 1);
        Assert.Equal(ClaimStatus.Started, (await Begin(old, "b")).Status);
        Assert.Equal(ClaimStatus.Completed, (await Begin(recent, "b")).Status);
        Assert.Equal(2, (await Begin(inProgress, "b")).Attempts);
    }

    [Fact]
    public async Task Purge_ForgetsOldMemberVersionsWithNothingUnfinished_KeepsRecentOnesAndThoseWithAnUnfinishedRequest()
    {
        // Issue 19: member revisions were never purged. Each member had version 5 applied; lisi also has a request still
        // in progress (its delivery parked); wangwu's version was applied within the retention.
        async Task Apply(string userId)
        {
            var key = NewKey();
            await Begin(key, "a", userId, version: 5);
            Assert.True(await Store.CompleteAsync(key, "a", succeeded: true, Outcome, new MemberRevision(5, null), default));
        }
        await Apply("zhangsan");
        await Apply("lisi");
        var unfinished = NewKey();
        Assert.Equal(ClaimStatus.Started, (await Begin(unfinished, "a", "lisi")).Status);
        Time.Advance(TimeSpan.FromDays(31));
        await Apply("wangwu");

        await Store.PurgeAsync(Time.GetUtcNow() - TimeSpan.FromDays(30), default);

        var older = new MemberRevision(3, null);
        var both = MemberAspects.State | MemberAspects.Profile;
        Assert.Equal(MemberAspects.None, (await Begin(NewKey(), "b", "zhangsan", version: 3)).StaleAspects(older));
        Assert.Equal(both, (await Begin(NewKey(), "b", "wangwu", version: 3)).StaleAspects(older));
        Assert.True(await Store.CompleteAsync(unfinished, "a", succeeded: false, Outcome, null, default));
        Assert.Equal(both, (await Begin(NewKey(), "b", "lisi", version: 3)).StaleAspects(older));
    }

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
    public async Task TryBegin_VersionOlderThanTheAppliedOne_IsStartedWithWhatWasAppliedAndKeepsItsLease()
    {
        var applied = NewKey();
        await Begin(applied, "a", "zhangsan", version: 5);
        await Store.CompleteAsync(applied, "a", succeeded: true, Outcome, new MemberRevision(5, null), default);

        var older = NewKey();
        var stale = await Begin(older, "b", "zhangsan", version: 3);
        var same = await Begin(NewKey(), "c", "lisi", version: 3);

        Assert.Equal(ClaimStatus.Started, stale.Status);
        Assert.Equal((5L, 5L), (stale.Applied!.StateVersion, stale.Applied.ProfileVersion));
        Assert.Equal(MemberAspects.State | MemberAspects.Profile, stale.StaleAspects(new MemberRevision(3, null)));
        Assert.True(await Store.CompleteAsync(older, "b", succeeded: false, Outcome, null, default));
        Assert.Equal(ClaimStatus.Started, same.Status);
        Assert.Equal(ClaimStatus.Started, (await Begin(NewKey(), "d", "zhangsan", version: 5)).Status);
    }

    [Fact]
    public async Task Complete_FailureOrNoVersion_LeavesTheAppliedVersion()
    {
        var applied = NewKey();
        await Begin(applied, "a", "zhangsan", version: 5);
        await Store.CompleteAsync(applied, "a", succeeded: true, Outcome, new MemberRevision(5, null), default);
        var failed = NewKey();
        await Begin(failed, "b", "zhangsan", version: 9);
        await Store.CompleteAsync(failed, "b", succeeded: false, Outcome, new MemberRevision(9, null), default);

        var claim = await Begin(NewKey(), "c", "zhangsan", version: 7);

        Assert.Equal(ClaimStatus.Started, claim.Status);
        Assert.Equal(MemberAspects.None, claim.StaleAspects(new MemberRevision(7, null)));
    }

    [Fact]
    public async Task TryBegin_SentBeforeTheAppliedCommand_IsSupersededUnlessItHasAVersion()
    {
        var at = Time.GetUtcNow();
        var applied = NewKey();
        await Store.TryBeginAsync(applied, "zhangsan", new MemberRevision(null, at), "a", Lease, default);
        await Store.CompleteAsync(applied, "a", succeeded: true, Outcome, new MemberRevision(null, at), default);

        var earlier = await Store.TryBeginAsync(NewKey(), "zhangsan", new MemberRevision(null, at.AddMilliseconds(-1)), "b", Lease, default);
        var later = await Store.TryBeginAsync(NewKey("ww2"), "zhangsan", new MemberRevision(null, at.AddMilliseconds(-1)), "c", Lease, default);

        Assert.NotEqual(MemberAspects.None, earlier.StaleAspects(new MemberRevision(null, at.AddMilliseconds(-1))));
        Assert.Equal(at, earlier.Applied!.StateSentAt!.Value.ToUniversalTime());
        Assert.Equal(MemberAspects.None, later.StaleAspects(new MemberRevision(null, at.AddMilliseconds(-1))));
    }

    [Fact]
    public async Task TryBegin_SentBeforeANewerCommandOfAnotherAspect_IsApplied()
    {
        var at = Time.GetUtcNow();
        var disable = NewKey();
        await Store.TryBeginAsync(disable, "zhangsan", new MemberRevision(null, at, MemberAspects.State), "a", Lease, default);
        await Store.CompleteAsync(disable, "a", succeeded: true, Outcome, new MemberRevision(null, at, MemberAspects.State), default);

        // An older change of position is not voided by a newer disable; an older enable is.
        var position = await Store.TryBeginAsync(NewKey(), "zhangsan", new MemberRevision(null, at.AddMilliseconds(-1), MemberAspects.Profile), "b", Lease, default);
        Assert.Equal(MemberAspects.None, position.StaleAspects(new MemberRevision(null, at.AddMilliseconds(-1), MemberAspects.Profile)));
        var enable = NewKey("ww2");
        await Store.TryBeginAsync(enable, "zhangsan", new MemberRevision(null, at, MemberAspects.State), "c", Lease, default);
        await Store.CompleteAsync(enable, "c", succeeded: true, Outcome, new MemberRevision(null, at, MemberAspects.State), default);
        var older = new MemberRevision(null, at.AddMilliseconds(-1), MemberAspects.State);
        Assert.Equal(MemberAspects.State, (await Store.TryBeginAsync(NewKey("ww2"), "zhangsan", older, "d", Lease, default)).StaleAspects(older));
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

    [Fact]
    public async Task Complete_VersionsPerAspect_ADisableDoesNotVoidAnOlderChangeOfPosition()
    {
        // Issue 19: one last_version per member made an update v10 that arrived after a disable v20 Superseded whole.
        var disable = NewKey();
        await Store.TryBeginAsync(disable, "zhangsan", new MemberRevision(20, null, MemberAspects.State), "a", Lease, default);
        await Store.CompleteAsync(disable, "a", succeeded: true, Outcome, new MemberRevision(20, null, MemberAspects.State), default);

        var position = new MemberRevision(10, null, MemberAspects.Profile);
        var update = await Store.TryBeginAsync(NewKey(), "zhangsan", position, "b", Lease, default);
        var both = new MemberRevision(10, null, MemberAspects.State | MemberAspects.Profile);

        Assert.Equal(MemberAspects.None, update.StaleAspects(position));
        Assert.Equal(MemberAspects.State, update.StaleAspects(both));
        Assert.Equal((20L, (long?)null), (update.Applied!.StateVersion, update.Applied.ProfileVersion));
    }

    [Fact]
    public async Task TryAdmitRemoval_CountsPerEnterpriseInASlidingWindow()
    {
        var window = TimeSpan.FromHours(1);
        var admitted = new List<IdempotencyKey>();
        for (var i = 0; i < 3; i++)
        {
            var key = NewKey("ww-guard");
            Assert.True(await Store.TryAdmitRemovalAsync(key, 3, window, force: false, default));
            admitted.Add(key);
            Time.Advance(TimeSpan.FromMinutes(10));
        }
        var fourth = NewKey("ww-guard");

        Assert.False(await Store.TryAdmitRemovalAsync(fourth, 3, window, force: false, default));
        // A retry of one admitted is admitted again; another enterprise has its own count; an operator's release goes through.
        Assert.True(await Store.TryAdmitRemovalAsync(admitted[0], 3, window, force: false, default));
        Assert.True(await Store.TryAdmitRemovalAsync(NewKey("ww-other"), 3, window, force: false, default));
        Assert.True(await Store.TryAdmitRemovalAsync(NewKey("ww-guard"), 3, window, force: true, default));

        // Admitted at 0, 10, 20 and (released) 30 minutes: at 70 the first two have left the window, one more fits, and only one.
        Time.Advance(TimeSpan.FromMinutes(40));
        Assert.True(await Store.TryAdmitRemovalAsync(fourth, 3, window, force: false, default));
        Assert.False(await Store.TryAdmitRemovalAsync(NewKey("ww-guard"), 3, window, force: false, default));
    }
}
