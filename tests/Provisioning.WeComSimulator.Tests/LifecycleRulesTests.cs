using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Provisioning.WeComSimulator.Tests;

/// <summary>user/update, user/delete and user/batchdelete with WeCom's rules (documents 90197-90199), and their faults.</summary>
public sealed class LifecycleRulesTests : IAsyncLifetime
{
    readonly SimulatorClient _sim = new();
    string _token = "";
    static int _mobile = Random.Shared.Next(0, 10_000_000);

    public async Task InitializeAsync()
    {
        await _sim.InitializeAsync();
        _token = await _sim.TokenAsync();
    }

    public Task DisposeAsync() => _sim.DisposeAsync();

    static string NewMobile() => $"137{Interlocked.Increment(ref _mobile):D8}";

    async Task<string> CreatedAsync(string extra = "")
    {
        var userId = "m" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(0, SimulatorClient.ErrCode(await _sim.CreateAsync(_token, SimulatorClient.Member(userId, NewMobile(), extra))));
        return userId;
    }

    async Task<JsonElement> PostAsync(string api, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _sim.Http.PostAsync($"cgi-bin/user/{api}?access_token={_token}", content);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    Task<JsonElement> UpdateAsync(string body) => PostAsync("update", body);

    Task<JsonElement> GetAsync(string userId) => _sim.GetJson($"cgi-bin/user/get?access_token={_token}&userid={userId}");

    Task<JsonElement> DeleteAsync(string userId) => _sim.GetJson($"cgi-bin/user/delete?access_token={_token}&userid={userId}");

    async Task MarkAsync(string userId, object flags) =>
        (await _sim.Http.PatchAsJsonAsync($"admin/corps/{SimulatorClient.Corp}/members/{userId}", flags)).EnsureSuccessStatusCode();

    [Fact]
    public async Task Update_OnlyTheSentFieldsChange_DepartmentReplacesTheList()
    {
        var userId = await CreatedAsync(""","position":"工程师","department":[1,2]""");

        var answer = await UpdateAsync($$"""{"userid":"{{userId}}","department":[2]}""");

        Assert.Equal(0, SimulatorClient.ErrCode(answer));
        Assert.Equal("updated", answer.GetProperty("errmsg").GetString());
        var member = await GetAsync(userId);
        Assert.Equal([2L], member.GetProperty("department").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("工程师", member.GetProperty("position").GetString());
        Assert.Equal("测试", member.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_Enable0ThenEnable1_DisablesAndEnablesTheSameMember()
    {
        var userId = await CreatedAsync();

        Assert.Equal(0, SimulatorClient.ErrCode(await UpdateAsync($$"""{"userid":"{{userId}}","enable":0}""")));
        var disabled = await GetAsync(userId);
        Assert.Equal(2, disabled.GetProperty("status").GetInt32());
        Assert.Equal(0, disabled.GetProperty("enable").GetInt32());

        Assert.Equal(0, SimulatorClient.ErrCode(await UpdateAsync($$"""{"userid":"{{userId}}","enable":1}""")));
        var enabled = await GetAsync(userId);
        Assert.Equal(4, enabled.GetProperty("status").GetInt32());
        Assert.Equal(1, enabled.GetProperty("enable").GetInt32());
    }

    [Fact]
    public async Task Update_MobileOfAnActivatedMember_IsIgnoredWithoutAnError()
    {
        var userId = await CreatedAsync();
        var before = (await GetAsync(userId)).GetProperty("mobile").GetString();
        await MarkAsync(userId, new { activated = true });

        var answer = await UpdateAsync($$"""{"userid":"{{userId}}","mobile":"{{NewMobile()}}","position":"经理"}""");

        Assert.Equal(0, SimulatorClient.ErrCode(answer));
        var member = await GetAsync(userId);
        Assert.Equal(before, member.GetProperty("mobile").GetString());
        Assert.Equal("经理", member.GetProperty("position").GetString());
        Assert.Equal(1, member.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Update_MobileOfANewMember_ChangesAndFreesTheOldOne()
    {
        var userId = await CreatedAsync();
        var old = (await GetAsync(userId)).GetProperty("mobile").GetString();

        Assert.Equal(0, SimulatorClient.ErrCode(await UpdateAsync($$"""{"userid":"{{userId}}","mobile":"{{NewMobile()}}"}""")));

        var other = "n" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(0, SimulatorClient.ErrCode(await _sim.CreateAsync(_token, SimulatorClient.Member(other, old!))));
    }

    [Fact]
    public async Task Update_UnknownMemberOrTakenMobile_AnswersWeComCodes()
    {
        var userId = await CreatedAsync();
        var taken = (await GetAsync(await CreatedAsync())).GetProperty("mobile").GetString();

        Assert.Equal(60111, SimulatorClient.ErrCode(await UpdateAsync("""{"userid":"nobody-here","position":"x"}""")));
        Assert.Equal(60104, SimulatorClient.ErrCode(await UpdateAsync($$"""{"userid":"{{userId}}","mobile":"{{taken}}"}""")));
    }

    [Fact]
    public async Task Rename_OnlyASystemGeneratedUserIdAndOnlyOnce()
    {
        var chosen = await CreatedAsync();
        Assert.Equal(301036, SimulatorClient.ErrCode(await UpdateAsync($$"""{"userid":"{{chosen}}","new_userid":"{{chosen}}x"}""")));

        var generated = await CreatedAsync();
        await MarkAsync(generated, new { systemGenerated = true });
        Assert.Equal(0, SimulatorClient.ErrCode(await UpdateAsync($$"""{"userid":"{{generated}}","new_userid":"{{generated}}-new"}""")));
        Assert.Equal(60111, SimulatorClient.ErrCode(await GetAsync(generated)));
        Assert.Equal(0, SimulatorClient.ErrCode(await GetAsync(generated + "-new")));
        Assert.Equal(301036, SimulatorClient.ErrCode(await UpdateAsync($$"""{"userid":"{{generated}}-new","new_userid":"{{generated}}-again"}""")));
    }

    [Fact]
    public async Task Delete_IsAGet_ThenTheMemberIsGone_AndTheCreatorCannotBeDeleted()
    {
        var userId = await CreatedAsync();
        var creator = await CreatedAsync();
        await MarkAsync(creator, new { creator = true });

        Assert.Equal(0, SimulatorClient.ErrCode(await DeleteAsync(userId)));
        Assert.Equal(60111, SimulatorClient.ErrCode(await GetAsync(userId)));
        Assert.Equal(60111, SimulatorClient.ErrCode(await DeleteAsync(userId)));
        Assert.Equal(301005, SimulatorClient.ErrCode(await DeleteAsync(creator)));
    }

    [Fact]
    public async Task BatchDelete_AllOrNothing_AtMost200()
    {
        var first = await CreatedAsync();
        var second = await CreatedAsync();

        Assert.Equal(40031, SimulatorClient.ErrCode(await PostAsync("batchdelete", $$"""{"useridlist":["{{first}}","nobody-here"]}""")));
        Assert.Equal(0, SimulatorClient.ErrCode(await GetAsync(first)));
        var tooMany = string.Join(",", Enumerable.Range(0, 201).Select(i => $"\"u{i}\""));
        Assert.Equal(40032, SimulatorClient.ErrCode(await PostAsync("batchdelete", $$"""{"useridlist":[{{tooMany}}]}""")));

        Assert.Equal(0, SimulatorClient.ErrCode(await PostAsync("batchdelete", $$"""{"useridlist":["{{first}}","{{second}}"]}""")));
        Assert.Equal(60111, SimulatorClient.ErrCode(await GetAsync(first)));
        Assert.Equal(60111, SimulatorClient.ErrCode(await GetAsync(second)));
    }

    [Fact]
    public async Task Faults_ApplyToUpdateAndDelete_AndChangeNothing()
    {
        var userId = await CreatedAsync(",\"position\":\"工程师\"");
        await _sim.PutFaultsAsync(new { busyRate = 1.0 });

        Assert.Equal(-1, SimulatorClient.ErrCode(await UpdateAsync($$"""{"userid":"{{userId}}","position":"经理"}""")));
        Assert.Equal(-1, SimulatorClient.ErrCode(await DeleteAsync(userId)));

        await _sim.PutFaultsAsync(new { });
        Assert.Equal("工程师", (await GetAsync(userId)).GetProperty("position").GetString());
    }
}
