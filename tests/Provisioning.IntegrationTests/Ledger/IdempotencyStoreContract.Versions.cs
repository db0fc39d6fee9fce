using Provisioning.Storage;

namespace Provisioning.IntegrationTests.Ledger;

public abstract partial class IdempotencyStoreContract
{
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
}
