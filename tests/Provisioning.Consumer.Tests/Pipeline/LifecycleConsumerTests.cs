using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Operations;
using Provisioning.WeCom;
using Provisioning.Contracts;
using Provisioning.Consumer.Pipeline;
using Provisioning.Consumer.Transport;

namespace Provisioning.Consumer.Tests.Pipeline;

/// <summary>Each lifecycle operation through the one pipeline: its WeCom call and how the answer maps to its outcome.</summary>
public sealed class LifecycleConsumerTests : IAsyncLifetime
{
    readonly FakeWeComClient _wecom = new();
    readonly string _database = Path.Combine(Path.GetTempPath(), $"lifecycle-tests-{Guid.NewGuid():N}.db");
    ServiceProvider _provider = null!;
    ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        // No grace for a missing member (it would wait in a broker queue) and no deletion guard: their paths need the broker.
        _provider = PipelineHarness.Build(_wecom, _database, new LifecycleOptions { AllowDelete = true, NotFoundGrace = TimeSpan.Zero, DeletionThreshold = 0 }, bus =>
        {
            bus.AddConsumer<CommandConsumer<UpdateMember>, CommandConsumerDefinition<UpdateMember>>();
            bus.AddConsumer<CommandConsumer<DisableMember>, CommandConsumerDefinition<DisableMember>>();
            bus.AddConsumer<CommandConsumer<EnableMember>, CommandConsumerDefinition<EnableMember>>();
            bus.AddConsumer<CommandConsumer<DeleteMember>, CommandConsumerDefinition<DeleteMember>>();
            bus.AddConsumer<CommandConsumer<SyncMember>, CommandConsumerDefinition<SyncMember>>();
        });
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        File.Delete(_database);
    }

    async Task<T> PublishAndGet<T>(object command)
        where T : class
    {
        await _harness.Bus.Publish(command);
        Assert.True(await _harness.Published.Any<T>(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token), $"no {typeof(T).Name} was published");
        return _harness.Published.Select<T>().Single().Context.Message;
    }

    static Guid NewId() => Guid.NewGuid();

    [Fact]
    public async Task Disable_SendsEnableZeroOnly()
    {
        var disabled = await PublishAndGet<MemberDisabled>(new DisableMember { RequestId = NewId(), UserId = "zhangsan" });

        Assert.Equal("ww-default", disabled.CorpId);
        var request = Assert.Single(_wecom.UpdateRequests);
        Assert.Equal(("zhangsan", 0), (request.UserId, request.Enable));
        Assert.Null(request.Name);
    }

    [Fact]
    public async Task Enable_MissingMember_FailsAsNotFoundWithTheErrCode()
    {
        _wecom.ThenUpdate = FakeWeComClient.Answer(60111);

        var failed = await PublishAndGet<MemberEnableFailed>(new EnableMember { RequestId = NewId(), UserId = "ghost" });

        Assert.Equal(FailureReasons.NotFound, failed.Reason);
        Assert.Equal(60111, failed.ErrCode);
    }

    [Fact]
    public async Task Update_RenameRefused_IsRejectedWith301036()
    {
        _wecom.ThenUpdate = FakeWeComClient.Answer(301036);

        var failed = await PublishAndGet<MemberUpdateFailed>(new UpdateMember { RequestId = NewId(), UserId = "zhangsan", NewUserId = "zhangsan2" });

        Assert.Equal((FailureReasons.Rejected, 301036), (failed.Reason, failed.ErrCode));
    }

    [Fact]
    public async Task Update_MobileOfAnActivatedMember_SaysItWasNotApplied()
    {
        _wecom.GetAnswer = new() { Class = WeComErrorClass.Ok, HttpStatus = 200, ErrCode = 0, Response = new() { UserId = "zhangsan", Mobile = "13800000000", Status = 1 } };

        var updated = await PublishAndGet<MemberUpdated>(new UpdateMember { RequestId = NewId(), UserId = "zhangsan", Mobile = "13900000000" });

        Assert.Contains("not applied", Assert.Single(updated.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_MobileWhenTheReadIsRefused_SaysItCouldNotBeChecked()
    {
        _wecom.GetAnswer = new() { Class = WeComErrorClass.Rejected, HttpStatus = 200, ErrCode = 48009, ErrMsg = "api forbidden" };

        var updated = await PublishAndGet<MemberUpdated>(new UpdateMember { RequestId = NewId(), UserId = "zhangsan", Mobile = "13900000000" });

        Assert.Contains("48009", Assert.Single(updated.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(60111, true)]
    public async Task Delete_DeletedOrAlreadyGone_IsASuccessThatSaysWhich(int errCode, bool alreadyGone)
    {
        _wecom.DeleteAnswer = FakeWeComClient.Answer(errCode);

        var deleted = await PublishAndGet<MemberDeleted>(new DeleteMember { RequestId = NewId(), UserId = "zhangsan" });

        Assert.Equal(alreadyGone, deleted.AlreadyGone);
        Assert.Equal("zhangsan", Assert.Single(_wecom.DeleteRequests));
    }

    [Fact]
    public async Task Delete_TheCreator_IsRejectedWith301005()
    {
        _wecom.DeleteAnswer = FakeWeComClient.Answer(301005);

        var failed = await PublishAndGet<MemberDeletionFailed>(new DeleteMember { RequestId = NewId(), UserId = "boss" });

        Assert.Equal((FailureReasons.Rejected, 301005), (failed.Reason, failed.ErrCode));
    }

    [Fact]
    public async Task Sync_MemberExists_UpdatesWithTheSameFields()
    {
        _wecom.Script(FakeWeComClient.Error(60102));

        var synced = await PublishAndGet<MemberSynced>(new SyncMember { RequestId = NewId(), UserId = "zhangsan", Name = "张三", Email = "zs@example.com", Enable = false });

        Assert.False(synced.Created);
        Assert.Single(_wecom.CreateRequests);
        var update = Assert.Single(_wecom.UpdateRequests);
        Assert.Equal(("张三", "zs@example.com", 0), (update.Name, update.Email, update.Enable));
    }

    [Fact]
    public async Task Sync_MemberAbsent_CreatesIt()
    {
        var synced = await PublishAndGet<MemberSynced>(new SyncMember { RequestId = NewId(), UserId = "lisi", Name = "李四", Mobile = "13800000001" });

        Assert.True(synced.Created);
        Assert.Empty(_wecom.UpdateRequests);
    }

    [Fact]
    public async Task Invalid_UpdateIsAnsweredWithItsOwnFailureTypeWithoutWeCom()
    {
        var failed = await PublishAndGet<MemberUpdateFailed>(new UpdateMember { RequestId = NewId(), UserId = "zhangsan" });

        Assert.Equal(FailureReasons.Invalid, failed.Reason);
        Assert.Equal(0, failed.Attempts);
        Assert.Empty(_wecom.UpdateRequests);
    }
}
