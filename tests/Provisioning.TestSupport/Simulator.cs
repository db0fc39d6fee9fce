using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Provisioning.WeComSimulator;

namespace Provisioning.TestSupport;

/// <summary>The WeCom simulator in process on a free loopback port, with a client for its admin endpoints.</summary>
public sealed class Simulator : IAsyncDisposable
{
    public const string CorpId = "ww-sim-corp";
    readonly WebApplication _app;

    Simulator(WebApplication app, string secret)
    {
        _app = app;
        Secret = secret;
        BaseUrl = app.Address();
        Admin = new HttpClient { BaseAddress = BaseUrl };
    }

    public string Secret { get; }

    public Uri BaseUrl { get; }

    public HttpClient Admin { get; }

    public static async Task<Simulator> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var secret = "sim-secret-" + Guid.NewGuid().ToString("N");
        var app = SimulatorApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"Simulator:Corps:{CorpId}"] = secret,
                ["Logging:LogLevel:Default"] = "Warning",
            });
            if (settings is not null)
                builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync();
        return new Simulator(app, secret);
    }

    public async Task<Ledger> LedgerAsync() =>
        (await Admin.GetFromJsonAsync<Ledger>("admin/ledger", JsonSerializerOptions.Web))!;

    public async Task SetFaultsAsync(FaultSettings faults) =>
        (await Admin.PutAsJsonAsync("admin/faults", faults)).EnsureSuccessStatusCode();

    public async Task ScriptErrorsAsync(params int[] errCodes) =>
        (await Admin.PostAsJsonAsync("admin/errors", new { errCodes })).EnsureSuccessStatusCode();

    public async Task ExpireTokensAsync() => (await Admin.PostAsync("admin/tokens/expire", null)).EnsureSuccessStatusCode();

    public async Task RevokeTokensAsync() => (await Admin.PostAsync("admin/tokens/revoke", null)).EnsureSuccessStatusCode();

    public Task SetSecretAsync(string secret) => SetSecretAsync(CorpId, secret);

    public async Task SetSecretAsync(string corpId, string secret) =>
        (await Admin.PutAsJsonAsync($"admin/corps/{corpId}/secret", new { value = secret })).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Ledger(IReadOnlyList<LedgerMember> Members, Dictionary<string, int> CreateCalls, int GetTokenCalls, Dictionary<int, int> ErrorAnswers, int UserCalls = 0)
    {
        public int CallsFor(string userId) => CreateCalls.GetValueOrDefault(userId.ToLowerInvariant());
    }

    public sealed record LedgerMember(string CorpId, string UserId, JsonElement Body, int Status = 0);
}
