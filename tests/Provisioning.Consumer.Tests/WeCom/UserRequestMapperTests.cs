using System.Text;
using Provisioning.Rules;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Tests.WeCom;

public sealed class UserRequestMapperTests
{
    static string Body(Provisioning.Contracts.CreateMember command) =>
        Encoding.UTF8.GetString(WeComJson.Serialize(UserRequestMapper.Map(command)));

    [Fact]
    public void Map_MinimalCommand_SendsOnlyGivenFields() =>
        Assert.Equal("""{"userid":"zhangsan","name":"张三","mobile":"+86 13800000000"}""", Body(TestCommands.Minimal()));

    [Fact]
    public void Map_FullCommand_SendsEveryFieldInWeComShape()
    {
        const string expected = """
            {"userid":"zhangsan","name":"张三","alias":"Jack","mobile":"+86 13800000000","department":[1,2],"order":[10,0],
            "is_leader_in_dept":[1,0],"position":"产品经理","gender":"1","email":"zhangsan@example.com","biz_mail":"zhangsan@corp.example.com",
            "telephone":"020-123456","direct_leader":["lisi"],"avatar_mediaid":"2-G6nrLmr5EC3MNb_-zL1dDdzkd0p7cNliYu9V5w7o8K0","enable":1,
            "extattr":{"attrs":[{"type":0,"name":"文本名称","text":{"value":"文本"}},{"type":1,"name":"网页名称","web":{"url":"https://work.weixin.qq.com","title":"标题"}}]},
            "to_invite":false,"external_profile":{"external_corp_name":"企业简称","wechat_channels":{"nickname":"视频号名称"},
            "external_attr":[{"type":2,"name":"测试app","miniprogram":{"appid":"wx8bd80126147dFAKE","pagepath":"/index","title":"my miniprogram"}}]},
            "external_position":"高级产品经理","nickname":"视频号","address":"广州市海珠区新港中路","main_department":1,"is_admin_hint":"x"}
            """;

        Assert.Equal(expected.ReplaceLineEndings(""), Body(TestCommands.Full()));
    }

    [Fact]
    public void Map_DisabledMember_SendsEnableZero() =>
        Assert.Contains("\"enable\":0", Body(TestCommands.Minimal() with { Enable = false }), StringComparison.Ordinal);

    [Fact]
    public void Map_NoGender_NeverDefaultsOne() =>
        Assert.DoesNotContain("gender", Body(TestCommands.Minimal()), StringComparison.Ordinal);

    [Fact]
    public void Map_DepartmentsWithoutOrderOrLeader_SendsDepartmentsOnly() =>
        Assert.Equal("""{"userid":"zhangsan","name":"张三","mobile":"+86 13800000000","department":[5,6]}""",
            Body(TestCommands.Minimal() with { Departments = [new() { Id = 5 }, new() { Id = 6 }] }));

    [Fact]
    public void Serialize_EmojiAndQuotes_WritesUtf8WithoutUnicodeEscapes()
    {
        var body = Body(TestCommands.Minimal() with { Name = "小明😀 \"Ming\" \\ <b>&" });

        Assert.DoesNotContain("\\u", body, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"小明😀 \\\"Ming\\\" \\\\ <b>&\"", body, StringComparison.Ordinal);
    }
}
