using Microsoft.Extensions.Time.Testing;
using Provisioning.Storage;

namespace Provisioning.IntegrationTests.Ledger;

/// <summary>One contract for every idempotency store, run against each real database.</summary>
public abstract partial class IdempotencyStoreContract : IAsyncLifetime
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

    // Each request its own member unless a test says otherwise: member order is tested on its own (IdempotencyStoreContract.MemberOrder.cs).
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
}
