using System.Text;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Operations;
using Provisioning.Consumer.RequestLog;
using Provisioning.Storage.RequestLog;
using Provisioning.Consumer.Tests.Pipeline;
using Provisioning.WeCom;
using Provisioning.Contracts;
using Provisioning.Consumer.Pipeline;
using Provisioning.Consumer.Transport;

namespace Provisioning.Consumer.Tests.RequestLog;

/// <summary>
/// What the provisioning log records for each way a request ends, through the real pipeline (in-memory harness, fake
/// WeCom, real SQLite log). Parked, exhausted and replayed requests need the broker: see the integration tests.
/// </summary>
public sealed class RequestLogRecordingTests : IAsyncLifetime
{
    readonly FakeWeComClient _wecom = new();
    readonly string _database = Path.Combine(Path.GetTempPath(), $"request-log-tests-{Guid.NewGuid():N}.db");
    ServiceProvider _provider = null!;
    ITestHarness _harness = null!;
    RequestLogWriter _writer = null!;
    RequestLogStore _log = null!;

    public async Task InitializeAsync()
    {
        _provider = PipelineHarness.Build(_wecom, _database, new LifecycleOptions(),
            bus => bus.AddConsumer<CommandConsumer<CreateMember>, CommandConsumerDefinition<CreateMember>>());
        _harness = _provider.GetRequiredService<ITestHarness>();
        _writer = _provider.GetRequiredService<RequestLogWriter>();
        _log = _provider.GetRequiredService<RequestLogStore>();
        await _writer.StartAsync(CancellationToken.None);
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
            File.Delete(file);
    }

    /// <summary>The request's entry once it has reached <paramref name="status"/> (the log is written in the background).</summary>
    async Task<RequestDetail> EntryWhen(Guid requestId, string status, Func<RequestDetail, bool>? also = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var detail = await _log.GetAsync(requestId, CancellationToken.None);
            if (detail is not null && detail.Request.Status == status && (also is null || also(detail)))
                return detail;
            Assert.True(DateTime.UtcNow < deadline, $"request {requestId} did not reach {status} in the log within 20 s (now: {detail?.Request.Status ?? "absent"})");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Created_IsRecordedWithItsStepsTheNameAndMaskedContactDetails()
    {
        var command = TestCommands.Minimal() with { Email = "zhangsan@example.com" };
        await _harness.Bus.Publish(command);

        var detail = await EntryWhen(command.RequestId, RequestStatuses.Succeeded);

        var entry = detail.Request;
        Assert.Equal(("ww-default", "zhangsan", "create"), (entry.CorpId, entry.UserId, entry.Operation));
        Assert.Equal(nameof(MemberCreated), entry.Outcome);
        Assert.Equal((1, 1), (entry.Deliveries, entry.Attempts));
        Assert.Equal("张三", entry.Name);
        Assert.Equal("+86********0000", entry.Mobile);
        Assert.Equal("z***@example.com", entry.Email);
        Assert.NotNull(entry.EndedAt);
        Assert.Equal([RequestEventKinds.Received, RequestEventKinds.Succeeded], detail.Steps.Select(s => s.Kind));
    }

    [Fact]
    public async Task ContactDetails_AreNeverWrittenInClear()
    {
        var command = TestCommands.Minimal() with { Mobile = "13912345678", Email = "lisi.secret@example.com" };
        await _harness.Bus.Publish(command);
        await EntryWhen(command.RequestId, RequestStatuses.Succeeded);

        var bytes = Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "-log.db*").SelectMany(File.ReadAllBytes).ToArray();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("139****5678", text, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lisi.secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlreadyExisted_AfterAnEarlierAttempt_IsASuccessThatSaysSo()
    {
        _wecom.Script(FakeWeComClient.Error(-1), FakeWeComClient.Error(60102));
        _wecom.GetAnswer = new() { Class = WeComErrorClass.Ok, HttpStatus = 200, ErrCode = 0, Response = new() { UserId = "zhangsan", Name = "张三", Mobile = "+86 13800000000" } };
        await _harness.Bus.Publish(TestCommands.Minimal());

        var entry = (await EntryWhen(TestCommands.Minimal().RequestId, RequestStatuses.Succeeded)).Request;

        Assert.Equal(2, entry.Attempts);
        Assert.Contains("already existed", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_IsAFailureNamingEveryBrokenRuleWithoutAnAttempt()
    {
        var command = TestCommands.Minimal() with { Mobile = "abc", Gender = 0 };
        await _harness.Bus.Publish(command);

        var detail = await EntryWhen(command.RequestId, RequestStatuses.Failed);

        Assert.Equal(FailureReasons.Invalid, detail.Request.Reason);
        Assert.Equal(0, detail.Request.Attempts);
        Assert.Contains("mobile:", detail.Request.Message, StringComparison.Ordinal);
        Assert.Contains("gender:", detail.Request.Message, StringComparison.Ordinal);
        Assert.Equal(RequestEventKinds.Failed, Assert.Single(detail.Steps).Kind);
    }

    [Theory]
    [InlineData(60123, FailureReasons.Rejected)]
    [InlineData(60104, FailureReasons.Conflict)]
    public async Task RejectedOrConflict_KeepsTheReasonAndWeComsErrcode(int errCode, string reason)
    {
        _wecom.Script(FakeWeComClient.Error(errCode));
        await _harness.Bus.Publish(TestCommands.Minimal());

        var entry = (await EntryWhen(TestCommands.Minimal().RequestId, RequestStatuses.Failed)).Request;

        Assert.Equal((reason, errCode, 1), (entry.Reason, entry.ErrCode, entry.Attempts));
        Assert.Contains($"errcode {errCode}", entry.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(MemberCreationFailed), entry.Outcome);
    }

    [Fact]
    public async Task UnknownCorp_IsRecordedUnderTheCorpItNamed()
    {
        var command = TestCommands.Minimal() with { CorpId = "ww-nobody" };
        await _harness.Bus.Publish(command);

        var entry = (await EntryWhen(command.RequestId, RequestStatuses.Failed)).Request;

        Assert.Equal(("ww-nobody", FailureReasons.UnknownCorp), (entry.CorpId, entry.Reason));
    }

    [Fact]
    public async Task Duplicate_KeepsTheOutcomeAndAddsADeliveryAndAStep()
    {
        var command = TestCommands.Minimal();
        await _harness.Bus.Publish(command);
        await EntryWhen(command.RequestId, RequestStatuses.Succeeded);

        await _harness.Bus.Publish(command);

        var detail = await EntryWhen(command.RequestId, RequestStatuses.Succeeded, d => d.Steps.Any(s => s.Kind == RequestEventKinds.Duplicate));
        Assert.Equal(2, detail.Request.Deliveries);
        Assert.Equal(1, detail.Request.Attempts);
        Assert.Single(_wecom.CreateRequests);
    }

    [Fact]
    public async Task History_ListsEveryRequestOfThePersonIgnoringCase()
    {
        var first = TestCommands.Minimal() with { RequestId = Guid.NewGuid() };
        var second = TestCommands.Minimal("ZhangSan") with { RequestId = Guid.NewGuid(), Gender = 0 };
        await _harness.Bus.Publish(first);
        await EntryWhen(first.RequestId, RequestStatuses.Succeeded);
        await _harness.Bus.Publish(second);
        await EntryWhen(second.RequestId, RequestStatuses.Failed);

        var history = await _log.HistoryAsync("ww-default", "ZHANGSAN", 10, CancellationToken.None);

        Assert.Equal([second.RequestId, first.RequestId], history.Select(h => h.RequestId));
    }
}
