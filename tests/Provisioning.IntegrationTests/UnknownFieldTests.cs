using System.Text;
using System.Text.Json;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace Provisioning.IntegrationTests;

/// <summary>
/// A property a command does not have (WeCom's <c>department</c> for <c>departments</c>) is never dropped silently: the
/// command is answered Invalid naming it, as plain JSON or in MassTransit's envelope, and WeCom is not called.
/// </summary>
public sealed class UnknownFieldTests(ProvisioningSystem system) : IClassFixture<ProvisioningSystem>
{
    [Fact]
    public async Task PlainJsonUpdateWithWeComsDepartment_AnsweredInvalidNamingIt_AndWeComNotCalled()
    {
        var member = ProvisioningSystem.NewCommand("unknown");
        await system.Publisher.PublishAsync(member);
        await system.Outcomes.CreatedFor(member.RequestId);
        var callsBefore = (await system.Simulator.LedgerAsync()).UserCalls;

        var requestId = Guid.NewGuid();
        await system.Publisher.PublishRawAsync($$"""{"requestId":"{{requestId}}","userId":"{{member.UserId}}","department":[2]}""",
            exchange: CommandQueueNames.Exchange(typeof(UpdateMember)));

        var outcome = await system.Outcomes.For(requestId);
        Assert.Equal((nameof(MemberUpdateFailed), FailureReasons.Invalid), (outcome.Type, outcome.Reason));
        // Named first; the command's own rules are reported beside it (without it, the update changes nothing).
        var error = outcome.As<MemberUpdateFailed>().Errors[0];
        Assert.Equal("department", error.Field);
        Assert.Contains("'departments'", error.Message, StringComparison.Ordinal);
        Assert.Equal(callsBefore, (await system.Simulator.LedgerAsync()).UserCalls);
        Assert.Equal([1L], (await system.Simulator.LedgerAsync()).Members.Single(m => m.UserId == member.UserId).Body
            .GetProperty("department").EnumerateArray().Select(d => d.GetInt64()));
    }

    [Fact]
    public async Task PlainJsonCreateWithUnknownKeyInADepartment_AnsweredInvalidNamingItsPath_AndNotCreated()
    {
        var command = ProvisioningSystem.NewCommand("unknown");
        var body = JsonSerializer.SerializeToNode(command, JsonSerializerOptions.Web)!.AsObject();
        body["departments"] = JsonSerializer.SerializeToNode(new[] { new { id = 1, is_leader_in_dept = 1 } });

        await system.Publisher.PublishRawAsync(body.ToJsonString());

        var failed = await system.Outcomes.FailedFor(command.RequestId);
        Assert.Equal(FailureReasons.Invalid, failed.Reason);
        Assert.Equal(["departments[0].is_leader_in_dept"], failed.Errors.Select(e => e.Field));
        Assert.DoesNotContain((await system.Simulator.LedgerAsync()).Members, m => m.UserId == command.UserId);
    }

    [Fact]
    public async Task EnvelopedDisableWithUnknownField_AnsweredInvalidNamingIt()
    {
        var requestId = Guid.NewGuid();
        var envelope = $$$"""
            {"messageId":"{{{Guid.NewGuid()}}}","messageType":["urn:message:Provisioning.Contracts:DisableMember"],
             "message":{"requestId":"{{{requestId}}}","userId":"someone","reason":"left the company"}}
            """;
        await system.Publisher.Channel.BasicPublishAsync(CommandQueueNames.Exchange(typeof(DisableMember)), "", mandatory: true,
            new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true }, Encoding.UTF8.GetBytes(envelope));

        var outcome = await system.Outcomes.For(requestId);
        Assert.Equal((nameof(MemberDisableFailed), FailureReasons.Invalid), (outcome.Type, outcome.Reason));
        Assert.Equal(["reason"], outcome.As<MemberDisableFailed>().Errors.Select(e => e.Field));
    }
}
