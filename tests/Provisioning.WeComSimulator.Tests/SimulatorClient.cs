using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Provisioning.WeComSimulator.Tests;

/// <summary>A simulator on a free loopback port, and the calls a WeCom client would make.</summary>
public sealed class SimulatorClient(TimeProvider? time = null) : IAsyncLifetime
{
    public const string Corp = "ww-test";
    public const string Secret = "test-secret";
    WebApplication _app = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = SimulatorApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"Simulator:Corps:{Corp}"] = Secret,
                ["Simulator:Departments:0"] = "1",
                ["Simulator:Departments:1"] = "2",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            if (time is not null)
                builder.Services.AddSingleton(time);
        });
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = _app.Address() };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }

    public async Task<JsonElement> GetJson(string url) => await Http.GetFromJsonAsync<JsonElement>(url);

    public async Task<string> TokenAsync() =>
        (await GetJson($"cgi-bin/gettoken?corpid={Corp}&corpsecret={Secret}")).GetProperty("access_token").GetString()!;

    public async Task<JsonElement> CreateAsync(string token, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync($"cgi-bin/user/create?access_token={token}", content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> CreateAsync(string body) => await CreateAsync(await TokenAsync(), body);

    public async Task PutFaultsAsync(object faults) => (await Http.PutAsJsonAsync("admin/faults", faults)).EnsureSuccessStatusCode();

    public static int ErrCode(JsonElement answer) => answer.GetProperty("errcode").GetInt32();

    public static string Member(string userId, string mobile, string extra = "") =>
        $$"""{"userid":"{{userId}}","name":"测试","mobile":"{{mobile}}"{{extra}}}""";
}
