using System.Text.Json;
using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Provisioning.Storage;
using Provisioning.Operations;
using Provisioning.Consumer.Tests.Storage;
using Provisioning.WeCom;
using Provisioning.Contracts;
using Provisioning.Consumer.Pipeline;
using Provisioning.Consumer.Transport;

namespace Provisioning.Consumer.Tests.Pipeline;

/// <summary>The consumer in MassTransit's in-memory harness, with a fake WeCom client.</summary>
public sealed class CreateMemberConsumerTests : IAsyncLifetime
{
    readonly FakeWeComClient _wecom = new();
    readonly string _database = Path.Combine(Path.GetTempPath(), $"consumer-tests-{Guid.NewGuid():N}.db");
    ServiceProvider _provider = null!;
    ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _provider = PipelineHarness.Build(_wecom, _database, new LifecycleOptions(),
            bus => bus.AddConsumer<CommandConsumer<CreateMember>, CommandConsumerDefinition<CreateMember>>());
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        File.Delete(_database);
    }

    /// <summary>Waits for an expected message up to a deadline, not just until the bus looks idle.</summary>
    static CancellationToken Within() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(10);
        }
    }

    async Task<T> PublishAndGet<T>(CreateMember command)
        where T : class
    {
        await _harness.Bus.Publish(command);
        Assert.True(await _harness.Published.Any<T>(Within()), $"no {typeof(T).Name} was published");
        return _harness.Published.Select<T>().Single().Context.Message;
    }

    [Fact]
    public async Task Consume_ValidCommand_PublishesMemberCreatedWithPlaceholderDepartments()
    {
        _wecom.Script(FakeWeComClient.Created("""{"errcode":0,"errmsg":"created","created_department_list":{"department_info":[{"name":"待设置","id":99}]}}"""));

        var created = await PublishAndGet<MemberCreated>(TestCommands.Minimal() with { Departments = [new() { Id = 99 }] });

        Assert.Equal("ww-default", created.CorpId);
        Assert.Equal("zhangsan", created.UserId);
        Assert.Equal([new CreatedDepartment { Id = 99, Name = "待设置" }], created.CreatedDepartments);
        Assert.False(created.AlreadyExisted);
        Assert.Equal(1, created.Attempts);
        Assert.Equal("created", created.Response!.Value.GetProperty("errmsg").GetString());
        Assert.Equal([99L], Assert.Single(_wecom.CreateRequests).Department);
        Assert.False(await _harness.Published.Any<MemberCreationFailed>());
    }

    [Fact]
    public async Task Consume_Outcomes_AreCountedByReason()
    {
        using var created = new MetricCollector<long>(_provider.GetRequiredService<IMeterFactory>(), ProvisioningInstrumentation.Name, "provisioning.members.created");
        using var failed = new MetricCollector<long>(_provider.GetRequiredService<IMeterFactory>(), ProvisioningInstrumentation.Name, "provisioning.members.failed");

        // Both published before waiting: the harness stops looking once the bus has been idle for a moment.
        await _harness.Bus.Publish(TestCommands.Minimal() with { Gender = 5 });
        await _harness.Bus.Publish(TestCommands.Minimal("second") with { RequestId = Guid.NewGuid() });
        Assert.True(await _harness.Published.Any<MemberCreationFailed>(Within()));
        Assert.True(await _harness.Published.Any<MemberCreated>(Within()));

        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal(FailureReasons.Invalid, failure.Tags["reason"]);
        Assert.Equal(1, Assert.Single(created.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task Consume_InvalidCommand_PublishesFieldErrorsWithoutCallingWeCom()
    {
        var failed = await PublishAndGet<MemberCreationFailed>(TestCommands.Minimal() with { Mobile = "abc", Gender = 0 });

        Assert.Equal(FailureReasons.Invalid, failed.Reason);
        Assert.Equal(["mobile", "gender"], failed.Errors.Select(e => e.Field));
        Assert.Empty(_wecom.CreateRequests);
    }

    [Fact]
    public async Task Consume_UnknownCorp_PublishesUnknownCorp()
    {
        var failed = await PublishAndGet<MemberCreationFailed>(TestCommands.Minimal() with { CorpId = "ww-nobody" });

        Assert.Equal(FailureReasons.UnknownCorp, failed.Reason);
        Assert.Equal("ww-nobody", failed.CorpId);
        Assert.Equal("corpId", Assert.Single(failed.Errors).Field);
        Assert.Empty(_wecom.CreateRequests);
    }

    [Theory]
    [InlineData(60123, FailureReasons.Rejected)]
    [InlineData(40003, FailureReasons.Rejected)]
    [InlineData(60104, FailureReasons.Conflict)]
    [InlineData(60106, FailureReasons.Conflict)]
    public async Task Consume_WeComRejects_PublishesReasonWithErrCodeAndDoesNotRetry(int errCode, string reason)
    {
        _wecom.Script(FakeWeComClient.Error(errCode));

        var failed = await PublishAndGet<MemberCreationFailed>(TestCommands.Minimal());

        Assert.Equal(reason, failed.Reason);
        Assert.Equal(errCode, failed.ErrCode);
        Assert.Equal($"error {errCode}, hint: [test]", failed.ErrMsg);
        Assert.Single(_wecom.CreateRequests);
    }

    [Fact]
    public async Task Consume_BusyTwiceThenCreated_RetriesAndCountsAttempts()
    {
        _wecom.Script(FakeWeComClient.Error(-1), FakeWeComClient.Error(45033));

        var created = await PublishAndGet<MemberCreated>(TestCommands.Minimal());

        Assert.Equal(3, created.Attempts);
        Assert.Equal(3, _wecom.CreateRequests.Count);
        Assert.Single(_harness.Published.Select<MemberCreated>());
    }

    [Fact]
    public async Task Consume_AlwaysBusy_FaultsAfterRetriesWithoutAnyOutcome()
    {
        _wecom.Then = FakeWeComClient.Error(-1);

        await _harness.Bus.Publish(TestCommands.Minimal());

        Assert.True(await _harness.Published.Any<Fault<CreateMember>>(Within()));
        Assert.Equal(3, _wecom.CreateRequests.Count);
        Assert.False(await _harness.Published.Any<MemberCreated>());
        Assert.False(await _harness.Published.Any<MemberCreationFailed>());
    }

    [Fact]
    public async Task Consume_SystemicFailure_IsRetriedUntilWeComWorksAndNeverPublishedAsFailure()
    {
        // The real client holds each retry until WeCom is usable again; this fake answers at once.
        _wecom.Script(FakeWeComClient.Error(48002), FakeWeComClient.Error(60020), FakeWeComClient.Error(45024));

        var created = await PublishAndGet<MemberCreated>(TestCommands.Minimal());

        Assert.Equal(4, _wecom.CreateRequests.Count);
        Assert.Equal(4, created.Attempts);
        Assert.False(await _harness.Published.Any<MemberCreationFailed>());
        Assert.False(await _harness.Published.Any<Fault<CreateMember>>());
    }

    [Fact]
    public async Task Consume_UserIdExistsAfterOurEarlierAttempt_ReadsBackAndPublishesAlreadyExisted()
    {
        _wecom.Script(FakeWeComClient.Error(-1), FakeWeComClient.Error(60102));
        _wecom.GetAnswer = new() { Class = WeComErrorClass.Ok, HttpStatus = 200, ErrCode = 0, Response = new() { UserId = "ZhangSan", Name = "张三", Mobile = "13800000000" } };

        var created = await PublishAndGet<MemberCreated>(TestCommands.Minimal());

        Assert.True(created.AlreadyExisted);
        Assert.Equal(2, created.Attempts);
    }

    [Fact]
    public async Task Consume_UserIdExistsAfterOurEarlierAttemptButReadIsRefused_StillPublishesAlreadyExisted()
    {
        _wecom.Script(FakeWeComClient.Error(-1), FakeWeComClient.Error(60102));
        _wecom.GetAnswer = new() { Class = WeComErrorClass.Rejected, HttpStatus = 200, ErrCode = 48009, ErrMsg = "api forbidden" };

        var created = await PublishAndGet<MemberCreated>(TestCommands.Minimal());

        Assert.True(created.AlreadyExisted);
    }

    [Fact]
    public async Task Consume_UserIdExistsAfterOurEarlierAttemptAsAnotherPerson_PublishesConflict()
    {
        _wecom.Script(FakeWeComClient.Error(-1), FakeWeComClient.Error(60102));
        _wecom.GetAnswer = new() { Class = WeComErrorClass.Ok, HttpStatus = 200, ErrCode = 0, Response = new() { UserId = "zhangsan", Name = "张三丰", Mobile = "13900000000" } };

        var failed = await PublishAndGet<MemberCreationFailed>(TestCommands.Minimal());

        Assert.Equal(FailureReasons.Conflict, failed.Reason);
        Assert.Equal(60102, failed.ErrCode);
    }

    [Fact]
    public async Task Consume_UserIdExistsOnFirstAttempt_PublishesConflictWithoutReadingBack()
    {
        _wecom.Script(FakeWeComClient.Error(60102));
        _wecom.GetAnswer = new() { Class = WeComErrorClass.Ok, HttpStatus = 200, ErrCode = 0, Response = new() { UserId = "zhangsan", Name = "张三", Mobile = "13800000000" } };

        var failed = await PublishAndGet<MemberCreationFailed>(TestCommands.Minimal());

        Assert.Equal(FailureReasons.Conflict, failed.Reason);
        Assert.Equal(0, _wecom.GetCalls);
    }

    [Fact]
    public async Task Consume_SameRequestTwice_CallsWeComOnceAndRepublishesTheStoredOutcome()
    {
        var command = TestCommands.Minimal();
        await _harness.Bus.Publish(command);
        Assert.True(await _harness.Published.Any<MemberCreated>(Within()));
        await _harness.Bus.Publish(command);

        await Until(() => _harness.Published.Select<MemberCreated>().Count() >= 2);
        var published = _harness.Published.Select<MemberCreated>().ToList();
        Assert.Single(_wecom.CreateRequests);
        Assert.Equal(JsonSerializer.Serialize(published[0].Context.Message), JsonSerializer.Serialize(published[1].Context.Message));
        Assert.True(published[1].Context.Headers.Get<bool>(ProvisioningHeaders.Replay));
    }

    [Fact]
    public async Task Consume_StoreFailsTwiceOnClaim_RetriesInProcessAndCreatesOnce()
    {
        _provider.GetRequiredService<FlakyStore>().FailNextClaims(2);

        var created = await PublishAndGet<MemberCreated>(TestCommands.Minimal());

        Assert.Equal(1, created.Attempts);
        Assert.Single(_wecom.CreateRequests);
        Assert.False(await _harness.Published.Any<MemberCreationFailed>());
    }

    [Fact]
    public async Task Consume_StoreFailsOnceOnComplete_RecordsOnRetryWithoutCallingWeComAgain()
    {
        _provider.GetRequiredService<FlakyStore>().FailNextCompletes(1);
        var command = TestCommands.Minimal();

        await PublishAndGet<MemberCreated>(command);
        Assert.Single(_wecom.CreateRequests);

        // The outcome was recorded after all: a duplicate gets it back without WeCom.
        await _harness.Bus.Publish(command);
        await Until(() => _harness.Published.Select<MemberCreated>().Count() == 2);
        Assert.Single(_wecom.CreateRequests);
    }

    [Fact]
    public async Task Consume_StoreDownLongerThanTheRetries_FaultsWithStoreUnavailableAndPublishesNoOutcome()
    {
        _provider.GetRequiredService<FlakyStore>().FailNextClaims(10);

        await _harness.Bus.Publish(TestCommands.Minimal());

        Assert.True(await _harness.Consumed.Any<CreateMember>(x => x.Exception is StoreUnavailableException, Within()));
        Assert.Empty(_wecom.CreateRequests);
        Assert.False(await _harness.Published.Any<MemberCreated>());
        Assert.False(await _harness.Published.Any<MemberCreationFailed>());
    }
}
