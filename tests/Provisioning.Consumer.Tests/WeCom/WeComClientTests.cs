using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Provisioning.Rules;
using Provisioning.Consumer.Tests.Samples;
using Provisioning.WeCom;

namespace Provisioning.Consumer.Tests.WeCom;

public sealed class WeComClientTests : IDisposable
{
    const string Corp = "ww-test";
    const string Secret = "contact-sync-secret-XYZ";
    readonly StubWeComHandler _wecom = new();
    readonly ListLoggerProvider _logs = new();
    readonly ServiceProvider _services;

    public WeComClientTests()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["WeCom:BaseUrl"] = "http://wecom.test",
                ["WeCom:CorpId"] = Corp,
                ["WeCom:CorpSecret"] = Secret,
                ["WeCom:Timeout"] = "00:00:00.300",
            }).Build());
        services.AddWeCom();
        services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => _wecom));
        _services = services.BuildServiceProvider();
    }

    IWeComClient Client => _services.GetRequiredService<IWeComClient>();

    static UserRequest Request() => UserRequestMapper.Map(TestCommands.Minimal());

    [Fact]
    public async Task CreateUser_Created_ParsesPlaceholderDepartmentsAndKeepsRawAnswer()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken")).Answer("/cgi-bin/user/create", Sample.Read("user-create"));

        var result = await Client.CreateUserAsync(Corp, Request(), default);

        Assert.Equal(WeComErrorClass.Ok, result.Class);
        Assert.Equal([12L, 13L], result.Response!.CreatedDepartmentList!.DepartmentInfo!.Select(d => d.Id));
        Assert.Equal("部门1", result.Response.CreatedDepartmentList.DepartmentInfo![0].Name);
        Assert.Equal("created", result.Raw!.Value.GetProperty("errmsg").GetString());
    }

    [Fact]
    public async Task CreateUser_SendsTokenInQueryAndUtf8JsonBody()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken")).Answer("/cgi-bin/user/create", Sample.Read("user-create"));

        await Client.CreateUserAsync(Corp, Request(), default);

        var token = _wecom.Requests.Single(r => r.Path == "/cgi-bin/gettoken");
        Assert.Equal($"?corpid={Corp}&corpsecret={Secret}", token.Query);
        var create = _wecom.Requests.Single(r => r.Path == "/cgi-bin/user/create");
        Assert.Equal("?access_token=accesstoken000001", create.Query);
        Assert.Equal("application/json; charset=utf-8", create.ContentType);
        Assert.Equal("""{"userid":"zhangsan","name":"张三","mobile":"+86 13800000000"}""", create.Body);
    }

    [Fact]
    public async Task CreateUser_TokenExpired_InvalidatesRefreshesAndRetriesOnce()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken"))
            .Answer("/cgi-bin/gettoken", Sample.Read("gettoken").Replace("accesstoken000001", "accesstoken000002", StringComparison.Ordinal))
            .Answer("/cgi-bin/user/create", Sample.Read("user-create-42001"))
            .Answer("/cgi-bin/user/create", Sample.Read("user-create"));

        var result = await Client.CreateUserAsync(Corp, Request(), default);

        Assert.Equal(WeComErrorClass.Ok, result.Class);
        Assert.Equal(2, _wecom.Count("/cgi-bin/gettoken"));
        Assert.Equal("?access_token=accesstoken000002", _wecom.Requests.Last().Query);
    }

    [Fact]
    public async Task CreateUser_TokenRejectedTwice_GivesUpAfterOneRetry()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken")).Answer("/cgi-bin/gettoken", Sample.Read("gettoken"))
            .Answer("/cgi-bin/user/create", Sample.Read("user-create-42001"))
            .Answer("/cgi-bin/user/create", Sample.Read("user-create-42001").Replace("42001", "40014", StringComparison.Ordinal));

        var result = await Client.CreateUserAsync(Corp, Request(), default);

        Assert.Equal(WeComErrorClass.TokenInvalid, result.Class);
        Assert.Equal(40014, result.ErrCode);
        Assert.Equal(2, _wecom.Count("/cgi-bin/user/create"));
    }

    [Fact]
    public async Task CreateUser_MobileTaken_IsConflictWithVerbatimErrMsg()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken")).Answer("/cgi-bin/user/create", Sample.Read("user-create-60104"));

        var result = await Client.CreateUserAsync(Corp, Request(), default);

        Assert.Equal(WeComErrorClass.Conflict, result.Class);
        Assert.Equal(60104, result.ErrCode);
        Assert.StartsWith("mobile existed, hint: [1732500002_33_1a1b1c1d1e]", result.ErrMsg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUser_NoAnswerWithinTimeout_IsTransientAndNotRepeated()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken")).Answer("/cgi-bin/user/create", async cancellationToken =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var result = await Client.CreateUserAsync(Corp, Request(), default);

        Assert.Equal(WeComErrorClass.Transient, result.Class);
        Assert.Null(result.HttpStatus);
        Assert.Equal(1, _wecom.Count("/cgi-bin/user/create"));
    }

    [Fact]
    public async Task CreateUser_Http502_IsTransient()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken"))
            .Answer("/cgi-bin/user/create", _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>bad gateway</html>") }));

        var result = await Client.CreateUserAsync(Corp, Request(), default);

        Assert.Equal(WeComErrorClass.Transient, result.Class);
        Assert.Equal(502, result.HttpStatus);
    }

    [Fact]
    public async Task CreateUser_WrongSecret_IsConfigurationAndNeverCallsCreate()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken-40001"));

        var result = await Client.CreateUserAsync(Corp, Request(), default);

        Assert.Equal(WeComErrorClass.Configuration, result.Class);
        Assert.Equal(40001, result.ErrCode);
        Assert.Equal(0, _wecom.Count("/cgi-bin/user/create"));
    }

    [Fact]
    public async Task GetUser_Existing_ParsesMember()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken")).Answer("/cgi-bin/user/get", Sample.Read("user-get"));

        var result = await Client.GetUserAsync(Corp, "zhangsan", default);

        Assert.Equal(WeComErrorClass.Ok, result.Class);
        Assert.Equal("张三", result.Response!.Name);
        Assert.Equal("?access_token=accesstoken000001&userid=zhangsan", _wecom.Requests.Last().Query);
    }

    [Fact]
    public async Task Calls_AtEveryLogLevel_NeverLogSecretOrToken()
    {
        _wecom.Answer("/cgi-bin/gettoken", Sample.Read("gettoken")).Answer("/cgi-bin/gettoken", Sample.Read("gettoken"))
            .Answer("/cgi-bin/user/create", Sample.Read("user-create-42001"))
            .Answer("/cgi-bin/user/create", Sample.Read("user-create"));

        await Client.CreateUserAsync(Corp, Request(), default);

        var logs = _logs.All();
        Assert.Contains("user/create", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("accesstoken000001", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("13800000000", logs, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _services.Dispose();
        _wecom.Dispose();
    }
}
