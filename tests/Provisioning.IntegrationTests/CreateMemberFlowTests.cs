using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests;

/// <summary>The core flow over the real broker: command in, WeCom (simulator) called, one outcome out.</summary>
public sealed class CreateMemberFlowTests(ProvisioningSystem system) : IClassFixture<ProvisioningSystem>
{
    [Fact]
    public async Task ValidCommand_YieldsOneMemberCreatedWithPlaceholderDepartments()
    {
        var command = ProvisioningSystem.NewCommand() with
        {
            Departments = [new DepartmentMembership { Id = 1, IsLeader = true }, new DepartmentMembership { Id = 4242 }],
            Gender = 2,
        };

        await system.Publisher.PublishAsync(command);
        var created = await system.Outcomes.CreatedFor(command.RequestId);

        Assert.Equal(Simulator.CorpId, created.CorpId);
        Assert.Equal(command.UserId, created.UserId);
        Assert.Equal(4242, Assert.Single(created.CreatedDepartments).Id);
        Assert.False(created.AlreadyExisted);
        Assert.Equal(1, created.Attempts);
        var ledger = await system.Simulator.LedgerAsync();
        Assert.Equal(1, ledger.CallsFor(command.UserId));
        var member = ledger.Members.Single(m => m.UserId == command.UserId);
        Assert.Equal("""[1,4242]""", member.Body.GetProperty("department").GetRawText());
        Assert.Equal("""[1,0]""", member.Body.GetProperty("is_leader_in_dept").GetRawText());
        Assert.Equal("2", member.Body.GetProperty("gender").GetString());
        Assert.Equal(1, system.Outcomes.CountFor(command.RequestId));
    }

    [Theory]
    [InlineData("\"userId\":\"abc\\n\"", "userId")]
    [InlineData("\"userId\":\"ok-id\",\"departments\":[{}]", "departments[0].id")]
    [InlineData("\"userId\":\"ok-id\",\"name\":null", "name")]
    [InlineData("\"userId\":\"ok-id\",\"mobile\":\"138\\u0000\"", "mobile")]
    public async Task HostilePlainJson_IsAnsweredInvalidAndNeverReachesWeCom(string fields, string field)
    {
        var requestId = Guid.NewGuid();
        var json = $$"""{"requestId":"{{requestId}}","name":"张三","mobile":"13800000000",{{fields}}}""";

        await system.Publisher.PublishRawAsync(json);
        var failed = await system.Outcomes.FailedFor(requestId);

        Assert.Equal(FailureReasons.Invalid, failed.Reason);
        Assert.Contains(failed.Errors, e => e.Field == field);
        var ledger = await system.Simulator.LedgerAsync();
        Assert.DoesNotContain(ledger.CreateCalls.Keys, userId => userId.StartsWith("abc", StringComparison.Ordinal) || userId == "ok-id");
    }

    [Fact]
    public async Task InvalidCommand_YieldsFieldErrorsWithoutCallingWeCom()
    {
        var command = ProvisioningSystem.NewCommand() with { Mobile = null, Email = "nope", DirectLeaders = ["a", "b"] };

        await system.Publisher.PublishAsync(command);
        var failed = await system.Outcomes.FailedFor(command.RequestId);

        Assert.Equal(FailureReasons.Invalid, failed.Reason);
        Assert.Equal(["directLeaders", "email"], failed.Errors.Select(e => e.Field).Order());
        Assert.Null(failed.ErrCode);
        Assert.Equal(0, (await system.Simulator.LedgerAsync()).CallsFor(command.UserId));
    }

    [Fact]
    public async Task PlainJsonCommand_FromANonDotNetPublisher_IsCreated()
    {
        var requestId = Guid.NewGuid();
        var userId = "plain-" + requestId.ToString("N")[..8];
        var mobile = $"137{Random.Shared.Next(10_000_000, 99_999_999)}";
        var json = $$$"""
            {"requestId":"{{{requestId}}}","userId":"{{{userId}}}","name":"李四","mobile":"{{{mobile}}}",
             "departments":[{"id":2,"order":5}],"toInvite":false,
             "extAttr":{"attrs":[{"type":0,"name":"工号","text":{"value":"A-001"}}]}}
            """;

        await system.Publisher.PublishRawAsync(json);
        var created = await system.Outcomes.CreatedFor(requestId);

        Assert.Equal(userId, created.UserId);
        var member = (await system.Simulator.LedgerAsync()).Members.Single(m => m.UserId == userId);
        Assert.Equal("李四", member.Body.GetProperty("name").GetString());
        Assert.False(member.Body.GetProperty("to_invite").GetBoolean());
        Assert.Equal("A-001", member.Body.GetProperty("extattr").GetProperty("attrs")[0].GetProperty("text").GetProperty("value").GetString());
    }

    [Fact]
    public async Task MobileAlreadyTaken_YieldsConflictWithWeComErrCode()
    {
        var first = ProvisioningSystem.NewCommand();
        var second = ProvisioningSystem.NewCommand() with { Mobile = first.Mobile };

        await system.Publisher.PublishAsync(first);
        await system.Outcomes.CreatedFor(first.RequestId);
        await system.Publisher.PublishAsync(second);
        var failed = await system.Outcomes.FailedFor(second.RequestId);

        Assert.Equal(FailureReasons.Conflict, failed.Reason);
        Assert.Equal(60104, failed.ErrCode);
        Assert.Contains("hint: [", failed.ErrMsg, StringComparison.Ordinal);
        Assert.Equal(1, (await system.Simulator.LedgerAsync()).CallsFor(second.UserId));
    }

    [Fact]
    public async Task CommandForUnconfiguredCorp_YieldsUnknownCorp()
    {
        var command = ProvisioningSystem.NewCommand() with { CorpId = "ww-not-ours" };

        await system.Publisher.PublishAsync(command);
        var failed = await system.Outcomes.FailedFor(command.RequestId);

        Assert.Equal(FailureReasons.UnknownCorp, failed.Reason);
        Assert.Equal("ww-not-ours", failed.CorpId);
    }
}
