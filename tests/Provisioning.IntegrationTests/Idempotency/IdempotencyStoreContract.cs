using Microsoft.Extensions.Time.Testing;
using Provisioning.Consumer.Idempotency;

namespace Provisioning.IntegrationTests.Idempotency;

/// <summary>One contract for every idempotency store, run against each real database.</summary>
public abstract class IdempotencyStoreContract : IAsyncLifetime
{
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    static readonly StoredOutcome Outcome = new("MemberCreated", """{"requestId":"x","userId":"zhangsan"}""");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    IIdempotencyStore Store { get; set; } = null!;

    protected abstract Task<IIdempotencyStore> CreateStoreAsync();

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

        await Store.ReleaseAsync(key, "a", 0, ReleaseAs.Retry, default);
        var claim = await Begin(key, "b");

        Assert.Equal(ClaimStatus.Started, claim.Status);
        Assert.Equal(2, claim.Attempts);
    }

    [Fact]
    public async Task Release_WithInProcessRetries_CountsThemAsAttempts()
    {
        var key = NewKey();
        await Begin(key, "a");

        await Store.ReleaseAsync(key, "a", 2, ReleaseAs.Retry, default);

        Assert.Equal(4, (await Begin(key, "b")).Attempts);
    }

    [Fact]
    public async Task Release_ByWhoDoesNotOwnTheLease_ChangesNothing()
    {
        var key = NewKey();
        await Begin(key, "a");

        await Store.ReleaseAsync(key, "b", 0, ReleaseAs.Retry, default);

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
    public async Task TryBegin_SecondRequestOfMemberWhileFirstRuns_WaitsWithoutALease()
    {
        var first = NewKey();
        var second = NewKey();
        await Begin(first, "a", "zhangsan");

        var claim = await Begin(second, "b", "zhangsan");
        var again = await Begin(second, "c", "zhangsan");

        Assert.Equal(ClaimStatus.WaitingForMember, claim.Status);
        Assert.Equal((first.RequestId, true), claim.BlockedBy);
        // No lease was kept: another delivery of the same request is told to wait for the member too, not for it.
        Assert.Equal(ClaimStatus.WaitingForMember, again.Status);
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
        await Store.ReleaseAsync(first, "a", 0, ReleaseAs.Retry, default);
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

        await Store.ReleaseAsync(update, "a", 0, ReleaseAs.RetryFromTheBack, default);
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
        await Store.ReleaseAsync(first, "a", 0, ReleaseAs.SetAside, default);

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
    public async Task TryBegin_VersionOlderThanTheAppliedOne_IsSupersededAndKeepsItsLease()
    {
        var applied = NewKey();
        await Begin(applied, "a", "zhangsan", version: 5);
        await Store.CompleteAsync(applied, "a", succeeded: true, Outcome, new MemberRevision(5, null), default);

        var older = NewKey();
        var stale = await Begin(older, "b", "zhangsan", version: 3);
        var same = await Begin(NewKey(), "c", "lisi", version: 3);

        Assert.Equal(ClaimStatus.Superseded, stale.Status);
        Assert.Equal(5, stale.Applied!.Version);
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

        Assert.Equal(ClaimStatus.Superseded, earlier.Status);
        Assert.Equal(at, earlier.Applied!.StateSentAt!.Value.ToUniversalTime());
        Assert.Equal(ClaimStatus.Started, later.Status);
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
        Assert.Equal(ClaimStatus.Started, position.Status);
        var enable = NewKey("ww2");
        await Store.TryBeginAsync(enable, "zhangsan", new MemberRevision(null, at, MemberAspects.State), "c", Lease, default);
        await Store.CompleteAsync(enable, "c", succeeded: true, Outcome, new MemberRevision(null, at, MemberAspects.State), default);
        Assert.Equal(ClaimStatus.Superseded,
            (await Store.TryBeginAsync(NewKey("ww2"), "zhangsan", new MemberRevision(null, at.AddMilliseconds(-1), MemberAspects.State), "d", Lease, default)).Status);
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
        await Store.ReleaseAsync(sentSecond, "a", 0, ReleaseAs.Retry, default);
        Assert.Equal(ClaimStatus.Started, (await Claim(sentFirst, at, "b")).Status);
        var back = await Claim(sentSecond, at.AddMilliseconds(1), "c");
        Assert.Equal(ClaimStatus.WaitingForMember, back.Status);
        Assert.Equal(sentFirst.RequestId, back.BlockedBy!.Value.RequestId);
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
