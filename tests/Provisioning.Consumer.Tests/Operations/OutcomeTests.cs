using Provisioning.Storage;
using Provisioning.Operations;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Tests.Operations;

public sealed class OutcomeTests
{
    static readonly DateTimeOffset At = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Created_StoredAndRead_IsTheSameSuccess()
    {
        Outcome outcome = new Outcome.Applied(new MemberCreated
        {
            RequestId = Guid.NewGuid(), CorpId = "ww1", UserId = "zhangsan", Attempts = 2, OccurredAt = At,
            CreatedDepartments = [new CreatedDepartment { Id = 9, Name = "待设置部门(9)" }],
        });

        var stored = outcome.ToStored();
        var read = Outcome.FromStored(stored);

        Assert.True(outcome.Succeeded);
        Assert.Equal(nameof(MemberCreated), stored.MessageType);
        var created = Assert.IsType<MemberCreated>(Assert.IsType<Outcome.Applied>(read).Success);
        Assert.Equal("zhangsan", created.UserId);
        Assert.Equal(2, created.Attempts);
        Assert.Equal(9, Assert.Single(created.CreatedDepartments).Id);
        Assert.Equal(stored, read.ToStored());
    }

    [Fact]
    public void Failed_StoredAndRead_IsTheSameFailure()
    {
        Outcome outcome = new Outcome.Failed(new MemberCreationFailed
        {
            RequestId = Guid.NewGuid(), CorpId = "ww1", UserId = "lisi", Reason = FailureReasons.Conflict, ErrCode = 60104,
            ErrMsg = "mobile existed", Attempts = 1, OccurredAt = At,
        });

        var read = Outcome.FromStored(outcome.ToStored());

        Assert.False(outcome.Succeeded);
        var failed = Assert.IsType<Outcome.Failed>(read);
        Assert.Equal(FailureReasons.Conflict, failed.Failure.Reason);
        Assert.Equal(60104, failed.Failure.ErrCode);
    }

    [Fact]
    public void Failed_OfAnotherOperation_KeepsItsEventType()
    {
        Outcome outcome = new Outcome.Failed(new MemberUpdateFailed { RequestId = Guid.NewGuid(), UserId = "lisi", Reason = FailureReasons.NotFound, ErrCode = 60111 });

        var read = Outcome.FromStored(outcome.ToStored());

        Assert.Equal(nameof(MemberUpdateFailed), outcome.ToStored().MessageType);
        Assert.Equal(60111, Assert.IsType<MemberUpdateFailed>(Assert.IsType<Outcome.Failed>(read).Failure).ErrCode);
    }

    [Fact]
    public void FromStored_UnknownType_SaysWhichType()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Outcome.FromStored(new StoredOutcome("MemberRetired", "{}")));

        Assert.Contains("MemberRetired", error.Message, StringComparison.Ordinal);
    }
}
