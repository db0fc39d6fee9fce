using System.Text;
using Provisioning.Rules;
using Provisioning.WeCom;
using Provisioning.Contracts;

namespace Provisioning.Consumer.Tests.Operations;

/// <summary>The exact <c>user/update</c> bodies: only what the command gives.</summary>
public sealed class UpdateRequestMapperTests
{
    static string Json(UserRequest request) => Encoding.UTF8.GetString(WeComJson.Serialize(request));

    [Fact]
    public void Update_SendsOnlyTheGivenFields() =>
        Assert.Equal("""{"userid":"zhangsan","department":[2],"is_leader_in_dept":[1],"position":"经理","enable":1}""",
            Json(UserRequestMapper.Map(new UpdateMember { UserId = "zhangsan", Position = "经理", Departments = [new() { Id = 2, IsLeader = true }], Enable = true })));

    [Fact]
    public void Update_Rename_SendsNewUserId() =>
        Assert.Equal("""{"userid":"zhangsan","new_userid":"zhangsan2"}""", Json(UserRequestMapper.Map(new UpdateMember { UserId = "zhangsan", NewUserId = "zhangsan2" })));

    [Fact]
    public void Update_EmptyDirectLeaders_ClearsTheLeader() =>
        Assert.Equal("""{"userid":"zhangsan","direct_leader":[]}""", Json(UserRequestMapper.Map(new UpdateMember { UserId = "zhangsan", DirectLeaders = [] })));

    [Fact]
    public void Sync_CreatesWithInviteAndUpdatesWithoutIt()
    {
        var sync = new SyncMember { UserId = "zhangsan", Name = "张三", Mobile = "13800000000", ToInvite = false, Enable = false };

        Assert.Equal("""{"userid":"zhangsan","name":"张三","mobile":"13800000000","enable":0,"to_invite":false}""", Json(UserRequestMapper.MapCreate(sync)));
        Assert.Equal("""{"userid":"zhangsan","name":"张三","mobile":"13800000000","enable":0}""", Json(UserRequestMapper.MapUpdate(sync)));
    }
}
