using Provisioning.Cli;
using Provisioning.Contracts;

namespace Provisioning.IntegrationTests.Cli;

/// <summary>How the CLI reads a command file: strictly, with hints for WeCom's names, and with request ids stable across runs.</summary>
public sealed class CommandFileTests
{
    [Fact]
    public void ItemsWithoutRequestId_GetTheSameIdsEveryRun_WhateverTheKeyOrderAndSpacing()
    {
        var first = MemberCommandFile.Read("""[{"userId":"zhangsan","name":"张三","mobile":"13800000000"},{"type":"DisableMember","userId":"lisi"}]""");
        var again = MemberCommandFile.Read("""
            [ { "mobile": "13800000000", "name": "张三", "userId": "zhangsan" },
              { "userId": "lisi", "type": "DisableMember" } ]
            """);

        Assert.Equal(first.Select(i => i.RequestId), again.Select(i => i.RequestId));
        Assert.NotEqual(first[0].RequestId, first[1].RequestId);
        Assert.Equal(first[0].RequestId, ((CreateMember)first[0].Command).RequestId);
    }

    [Fact]
    public void DerivedIds_DifferByTypeEnterpriseAndContent()
    {
        Guid Id(string json) => MemberCommandFile.Read(json)[0].RequestId;
        var disable = Id("""[{"type":"DisableMember","userId":"lisi"}]""");

        Assert.NotEqual(disable, Id("""[{"type":"EnableMember","userId":"lisi"}]"""));
        Assert.NotEqual(disable, Id("""[{"type":"DisableMember","userId":"lisi","corpId":"ww2"}]"""));
        Assert.NotEqual(disable, Id("""[{"type":"DisableMember","userId":"wangwu"}]"""));
    }

    [Fact]
    public void AGivenRequestId_IsKept()
    {
        var item = Assert.Single(MemberCommandFile.Read("""[{"requestId":"0b9b7e8e-3c2a-4d5e-9f10-2a3b4c5d6e7f","type":"EnableMember","userId":"lisi"}]"""));

        Assert.Equal(Guid.Parse("0b9b7e8e-3c2a-4d5e-9f10-2a3b4c5d6e7f"), item.RequestId);
    }

    [Theory]
    [InlineData("""[{"userId":"a","name":"n","mobile":"1","department":[1]}]""", "item 0 (CreateMember): unknown property 'department': 'department' is WeCom's name, the command's is 'departments'")]
    [InlineData("""[{"userId":"a","name":"n","mobile":"1","main_department":1}]""", "'main_department' is WeCom's name, the command's is 'mainDepartment'")]
    [InlineData("""[{"userId":"a","nmae":"n"}]""", "item 0 (CreateMember): unknown property 'nmae'")]
    [InlineData("""[{"type":"Hire","userId":"a"}]""", "item 0: type 'Hire' is not one of CreateMember, UpdateMember")]
    [InlineData("""[null]""", "item 0: must be a JSON object (a command), not null")]
    [InlineData("""[{"requestId":"abc","userId":"a"}]""", "item 0 (CreateMember): requestId 'abc' is not a GUID")]
    [InlineData("""{"userId":"a"}""", "the file must hold a JSON array of commands")]
    [InlineData("""[{"userId":""", "the file is not valid JSON")]
    [InlineData("""[{"userId":"a","gender":"male"}]""", "item 0 (CreateMember): 'gender' has a value of the wrong type")]
    public void Unreadable_FailsNamingTheItemAndTheProblem(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => MemberCommandFile.Read(json));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_OfAFileWithAnUnknownProperty_PrintsOneLineAndPublishesNothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """[{"userId":"a","name":"n","mobile":"1","department":[1]}]""");
        var output = new StringWriter();

        // No broker is needed: the file is refused before any connection.
        var exitCode = await CliApp.RunAsync(["publish", file, "--broker", "amqp://guest:guest@127.0.0.1:1/"], output, default);

        Assert.Equal(2, exitCode);
        Assert.Equal($"provisioning-cli: {Path.GetFileName(file)}: item 0 (CreateMember): unknown property 'department': 'department' is WeCom's name, the command's is 'departments'; nothing was published",
            output.ToString().Trim());
        File.Delete(file);
    }
}
