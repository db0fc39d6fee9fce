using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Provisioning.Benchmark;

/// <summary>A fresh virtual host per scenario, so no scenario sees another's queues or leftovers.</summary>
internal sealed class BenchBroker : IAsyncDisposable
{
    readonly HttpClient _management;
    readonly string _vhost;

    BenchBroker(HttpClient management, string vhost, string host)
    {
        _management = management;
        _vhost = vhost;
        AmqpUri = new Uri($"amqp://guest:guest@{host}:5672/{vhost}");
    }

    public Uri AmqpUri { get; }

    public static async Task<BenchBroker> CreateAsync(string host)
    {
        var management = new HttpClient { BaseAddress = new Uri($"http://{host}:15672/api/") };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        var vhost = "bench-" + Guid.NewGuid().ToString("N")[..10];
        (await management.PutAsync($"vhosts/{vhost}", null).ConfigureAwait(false)).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"permissions/{vhost}/guest", new { configure = ".*", write = ".*", read = ".*" }).ConfigureAwait(false)).EnsureSuccessStatusCode();
        return new BenchBroker(management, vhost, host);
    }

    public async Task<int> ConsumersAsync(string queue)
    {
        using var response = await _management.GetAsync($"queues/{_vhost}/{queue}").ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            return 0;
        var json = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
        return json.TryGetProperty("consumers", out var consumers) ? consumers.GetInt32() : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"vhosts/{_vhost}").ConfigureAwait(false);
        _management.Dispose();
    }
}
