using System.Text.Json;

namespace Provisioning.WeComSimulator.Tests;

/// <summary>The simulator answers like WeCom: gettoken, user/create's server-side rules, user/get, list_id.</summary>
public sealed class WeComRulesTests : IAsyncLifetime
{
    readonly SimulatorClient _sim = new();

    public Task InitializeAsync() => _sim.InitializeAsync();

    public Task DisposeAsync() => _sim.DisposeAsync();

    static string Unique() => Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task GetToken_Correct_GivesTokenThatLives7200Seconds()
    {
        var answer = await _sim.GetJson($"cgi-bin/gettoken?corpid={SimulatorClient.Corp}&corpsecret={SimulatorClient.Secret}");

        Assert.Equal(0, SimulatorClient.ErrCode(answer));
        Assert.Equal(7200, answer.GetProperty("expires_in").GetInt32());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("access_token").GetString()));
    }

    [Theory]
    [InlineData("ww-unknown", SimulatorClient.Secret, 40013)]
    [InlineData(SimulatorClient.Corp, "wrong", 40001)]
    public async Task GetToken_WrongCredentials_AnswersWeComCode(string corpId, string secret, int errCode)
    {
        var answer = await _sim.GetJson($"cgi-bin/gettoken?corpid={corpId}&corpsecret={secret}");

        Assert.Equal(errCode, SimulatorClient.ErrCode(answer));
        Assert.Contains("hint: [", answer.GetProperty("errmsg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutToken_Answers41001()
    {
        using var content = new StringContent(SimulatorClient.Member("a" + Unique(), "13800000000"));
        using var response = await _sim.Http.PostAsync("cgi-bin/user/create", content);

        Assert.Equal(41001, SimulatorClient.ErrCode(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement));
    }

    [Fact]
    public async Task Create_UnknownToken_Answers40014() =>
        Assert.Equal(40014, SimulatorClient.ErrCode(await _sim.CreateAsync("not-a-token", SimulatorClient.Member("a" + Unique(), "13800000000"))));

    [Fact]
    public async Task Create_ExpiredToken_Answers42001()
    {
        var token = await _sim.TokenAsync();
        (await _sim.Http.PostAsync("admin/tokens/expire", null)).EnsureSuccessStatusCode();

        Assert.Equal(42001, SimulatorClient.ErrCode(await _sim.CreateAsync(token, SimulatorClient.Member("a" + Unique(), "13800000000"))));
    }

    [Fact]
    public async Task Create_RevokedToken_Answers40014()
    {
        var token = await _sim.TokenAsync();
        (await _sim.Http.PostAsync("admin/tokens/revoke", null)).EnsureSuccessStatusCode();

        Assert.Equal(40014, SimulatorClient.ErrCode(await _sim.CreateAsync(token, SimulatorClient.Member("a" + Unique(), "13800000000"))));
    }

    [Fact]
    public async Task Create_UnicodeEscapes_Answers40033() =>
        Assert.Equal(40033, SimulatorClient.ErrCode(await _sim.CreateAsync("""{"userid":"esc1","name":"\u5f20","mobile":"13800000001"}""")));

    [Fact]
    public async Task Create_EscapedBackslashBeforeU_IsNotAUnicodeEscape() =>
        Assert.Equal(0, SimulatorClient.ErrCode(await _sim.CreateAsync("""{"userid":"esc2","name":"a\\u","mobile":"13800000002"}""")));

    [Fact]
    public async Task Create_SameUserIdInOtherCase_Answers60102()
    {
        var id = "Case" + Unique();
        await _sim.CreateAsync(SimulatorClient.Member(id, "13800000003"));

        Assert.Equal(60102, SimulatorClient.ErrCode(await _sim.CreateAsync(SimulatorClient.Member(id.ToUpperInvariant(), "13800000004"))));
    }

    [Fact]
    public async Task Create_MobileTaken_Answers60104()
    {
        await _sim.CreateAsync(SimulatorClient.Member("m" + Unique(), "13800000005"));

        Assert.Equal(60104, SimulatorClient.ErrCode(await _sim.CreateAsync(SimulatorClient.Member("m" + Unique(), "13800000005"))));
    }

    [Fact]
    public async Task Create_EmailTakenInOtherCase_Answers60106()
    {
        await _sim.CreateAsync($$"""{"userid":"e{{Unique()}}","name":"e","email":"Same@Example.com"}""");

        Assert.Equal(60106, SimulatorClient.ErrCode(await _sim.CreateAsync($$"""{"userid":"e{{Unique()}}","name":"e","email":"same@example.com"}""")));
    }

    [Fact]
    public async Task Create_NeitherMobileNorEmail_Answers60129() =>
        Assert.Equal(60129, SimulatorClient.ErrCode(await _sim.CreateAsync($$"""{"userid":"n{{Unique()}}","name":"n"}""")));

    [Fact]
    public async Task Create_LeaderFlagsOfOtherLength_Answers60132() =>
        Assert.Equal(60132, SimulatorClient.ErrCode(await _sim.CreateAsync(
            SimulatorClient.Member("l" + Unique(), "13800000006", ""","department":[1,2],"is_leader_in_dept":[1]"""))));

    [Fact]
    public async Task Create_DepartmentIdsAsStrings_AreRejected() =>
        Assert.Equal(40058, SimulatorClient.ErrCode(await _sim.CreateAsync(
            SimulatorClient.Member("s" + Unique(), "13800000007", ""","department":["1"]"""))));

    [Fact]
    public async Task Create_UnknownDepartment_CreatesPlaceholderAndReportsIt()
    {
        var answer = await _sim.CreateAsync(SimulatorClient.Member("d" + Unique(), "13800000008", ""","department":[1,77]"""));

        Assert.Equal(0, SimulatorClient.ErrCode(answer));
        var created = Assert.Single(answer.GetProperty("created_department_list").GetProperty("department_info").EnumerateArray());
        Assert.Equal(77, created.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Create_KnownDepartments_ReportsNoPlaceholder()
    {
        var answer = await _sim.CreateAsync(SimulatorClient.Member("k" + Unique(), "13800000009", ""","department":[1,2]"""));

        Assert.Equal("created", answer.GetProperty("errmsg").GetString());
        Assert.False(answer.TryGetProperty("created_department_list", out _));
    }

    [Fact]
    public async Task GetUserAndListId_AfterCreate_ReturnTheMember()
    {
        var id = "g" + Unique();
        var token = await _sim.TokenAsync();
        await _sim.CreateAsync(token, SimulatorClient.Member(id, "13800000010", ""","department":[2]"""));

        var member = await _sim.GetJson($"cgi-bin/user/get?access_token={token}&userid={id.ToUpperInvariant()}");
        using var list = await _sim.Http.PostAsync($"cgi-bin/user/list_id?access_token={token}", new StringContent("{}"));
        var ids = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("dept_user");

        Assert.Equal("测试", member.GetProperty("name").GetString());
        Assert.Contains(ids.EnumerateArray(), u => u.GetProperty("userid").GetString() == id && u.GetProperty("department").GetInt32() == 2);
    }

    [Fact]
    public async Task GetUser_Unknown_Answers60111()
    {
        var token = await _sim.TokenAsync();

        Assert.Equal(60111, SimulatorClient.ErrCode(await _sim.GetJson($"cgi-bin/user/get?access_token={token}&userid=nobody")));
    }

    [Fact]
    public async Task Ledger_CountsCreateCallsPerUserIdIgnoringCase()
    {
        var id = "c" + Unique();
        await _sim.CreateAsync(SimulatorClient.Member(id, "13800000011"));
        await _sim.CreateAsync(SimulatorClient.Member(id.ToUpperInvariant(), "13800000012"));

        var ledger = await _sim.GetJson("admin/ledger");

        Assert.Equal(2, ledger.GetProperty("createCalls").GetProperty(id).GetInt32());
        Assert.Single(ledger.GetProperty("members").EnumerateArray(), m => m.GetProperty("userId").GetString() == id);
    }

    [Fact]
    public async Task ChangedSecret_OldSecretAnswers40001()
    {
        (await _sim.Http.PutAsync($"admin/corps/{SimulatorClient.Corp}/secret",
            new StringContent("""{"value":"new-secret"}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var old = await _sim.GetJson($"cgi-bin/gettoken?corpid={SimulatorClient.Corp}&corpsecret={SimulatorClient.Secret}");
        var fresh = await _sim.GetJson($"cgi-bin/gettoken?corpid={SimulatorClient.Corp}&corpsecret=new-secret");

        Assert.Equal(40001, SimulatorClient.ErrCode(old));
        Assert.Equal(0, SimulatorClient.ErrCode(fresh));
    }
}
