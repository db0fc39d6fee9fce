using Provisioning.Storage;

namespace Provisioning.IntegrationTests.Ledger;

public abstract partial class IdempotencyStoreContract
{
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
}
