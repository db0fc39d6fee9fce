using Provisioning.Storage;

namespace Provisioning.Consumer.Tests.Storage;

/// <summary>The version rule: which aspects of a command are older than what was applied to its member.</summary>
public sealed class AppliedRevisionTests
{
    static readonly DateTimeOffset T = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    const MemberAspects Both = MemberAspects.State | MemberAspects.Profile;

    [Theory]
    [InlineData(5L, 4L, true)]
    [InlineData(5L, 5L, false)]
    [InlineData(5L, 6L, false)]
    [InlineData(null, 1L, false)]
    public void ByVersion_OnlyAStrictlyOlderOneIsSuperseded(long? applied, long command, bool superseded) =>
        Assert.Equal(superseded ? Both : MemberAspects.None, new AppliedRevision(applied, applied, null, null).StaleAspects(new MemberRevision(command, null)));

    [Fact]
    public void AVersion_WinsOverTheSendTime() =>
        // Sent long before the applied one, but its version is newer: the publisher's version is what counts.
        Assert.Equal(MemberAspects.None, new AppliedRevision(3, 3, T, T).StaleAspects(new MemberRevision(4, T.AddHours(-1))));

    [Theory]
    [InlineData(MemberAspects.State, MemberAspects.State)]
    [InlineData(MemberAspects.Profile, MemberAspects.None)]
    [InlineData(Both, MemberAspects.State)]
    public void ByVersion_EachAspectAgainstItsOwnVersion(MemberAspects aspects, MemberAspects stale) =>
        // A disable v20 was applied, the profile is at v5: an update v10 is older only in what it says of the state.
        Assert.Equal(stale, new AppliedRevision(20, 5, null, null).StaleAspects(new MemberRevision(10, null, aspects)));

    [Theory]
    [InlineData(MemberAspects.State, MemberAspects.State)]
    [InlineData(MemberAspects.Profile, MemberAspects.None)]
    [InlineData(Both, MemberAspects.State)]
    public void BySendTime_OnlyTheAspectsTheCommandSets(MemberAspects aspects, MemberAspects stale) =>
        // A disable sent at T was applied: an older enable is superseded, an older change of position is not.
        Assert.Equal(stale, new AppliedRevision(null, null, T, null).StaleAspects(new MemberRevision(null, T.AddMilliseconds(-1), aspects)));

    [Fact]
    public void WithoutVersionOrSendTime_NothingIsOlder() =>
        Assert.Equal(MemberAspects.None, new AppliedRevision(9, 9, T, T).StaleAspects(MemberRevision.None));

    [Fact]
    public void Explain_NamesTheAspectAndBothVersions() =>
        Assert.Equal("version 10 is older than version 20 already applied to the state (exists, enabled) of member chenjing",
            new AppliedRevision(20, 5, null, null).Explain(new MemberRevision(10, null), MemberAspects.State, "chenjing"));
}
