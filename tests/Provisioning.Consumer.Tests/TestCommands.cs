using System.Text.Json;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Tests;

/// <summary>Commands used across the unit tests.</summary>
internal static class TestCommands
{
    public static CreateMember Minimal(string userId = "zhangsan") => new()
    {
        RequestId = Guid.Parse("6f1c1c7e-1f7a-4a56-9a61-3f2d1c0a9b01"),
        UserId = userId,
        Name = "张三",
        Mobile = "+86 13800000000",
    };

    public static CreateMember Full() => Minimal() with
    {
        CorpId = "ww-test",
        Alias = "Jack",
        Departments =
        [
            new DepartmentMembership { Id = 1, Order = 10, IsLeader = true },
            new DepartmentMembership { Id = 2 },
        ],
        MainDepartment = 1,
        Position = "产品经理",
        Gender = 1,
        Email = "zhangsan@example.com",
        BizMail = "zhangsan@corp.example.com",
        Telephone = "020-123456",
        DirectLeaders = ["lisi"],
        AvatarMediaId = "2-G6nrLmr5EC3MNb_-zL1dDdzkd0p7cNliYu9V5w7o8K0",
        Address = "广州市海珠区新港中路",
        Enable = true,
        ToInvite = false,
        ExtAttr = new ExtAttr
        {
            Attrs =
            [
                new ExtAttrItem { Type = 0, Name = "文本名称", Text = new ExtAttrText { Value = "文本" } },
                new ExtAttrItem { Type = 1, Name = "网页名称", Web = new ExtAttrWeb { Url = "https://work.weixin.qq.com", Title = "标题" } },
            ],
        },
        ExternalProfile = new ExternalProfile
        {
            ExternalCorpName = "企业简称",
            WechatChannels = new WechatChannels { Nickname = "视频号名称" },
            ExternalAttr =
            [
                new ExtAttrItem { Type = 2, Name = "测试app", Miniprogram = new ExtAttrMiniprogram { AppId = "wx8bd80126147dFAKE", PagePath = "/index", Title = "my miniprogram" } },
            ],
        },
        ExternalPosition = "高级产品经理",
        Nickname = "视频号",
        Extra = JsonDocument.Parse("""{"is_admin_hint":"x"}""").RootElement,
    };
}
