using Provisioning.Consumer.Idempotency;

namespace Provisioning.Consumer.Tests.Idempotency;

/// <summary>The version rule: which command is older than what was applied to its member.</summary>
public sealed class AppliedRevisionTests
{
    static readonly DateTimeOffset T = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(5L, 4L, true)]
    [InlineData(5L, 5L, false)]
    [InlineData(5L, 6L, false)]
    [InlineData(null, 1L, false)]
    public void ByVersion_OnlyAStrictlyOlderOneIsSuperseded(long? applied, long command, bool superseded) =>
        Assert.Equal(superseded, new AppliedRevision(applied, null, null).IsNewerThan(new MemberRevision(command, null)));

    [Fact]
    public void AVersion_WinsOverTheSendTime() =>
        // Sent long before the applied one, but its version is newer: the publisher's version is what counts.
        Assert.False(new AppliedRevision(3, T, T).IsNewerThan(new MemberRevision(4, T.AddHours(-1))));

    [Theory]
    [InlineData(MemberAspects.State, true)]
    [InlineData(MemberAspects.Profile, false)]
    [InlineData(MemberAspects.State | MemberAspects.Profile, true)]
    public void BySendTime_OnlyTheAspectsTheCommandSets(MemberAspects aspects, bool superseded) =>
        // A disable sent at T was applied: an older enable is superseded, an older change of position is not.
        Assert.Equal(superseded, new AppliedRevision(null, T, null).IsNewerThan(new MemberRevision(null, T.AddMilliseconds(-1), aspects)));

    [Fact]
    public void WithoutVersionOrSendTime_NothingIsOlder() =>
        Assert.False(new AppliedRevision(9, T, T).IsNewerThan(MemberRevision.None));
}
