using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Provisioning.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh virtual host on the real broker for one fixture, so fixtures running in parallel never see each other's
/// queues. The broker is the one scripts/start-rabbitmq.sh starts (override with PROVISIONING_TEST_RABBITMQ_HOST).
/// </summary>
internal sealed class TestBroker : IAsyncDisposable
{
    static readonly string Host = Environment.GetEnvironmentVariable("PROVISIONING_TEST_RABBITMQ_HOST") ?? "127.0.0.1";
    readonly HttpClient _management;

    TestBroker(string virtualHost, HttpClient management)
    {
        VirtualHost = virtualHost;
        _management = management;
    }

    public string VirtualHost { get; }

    public Uri AmqpUri => new($"amqp://guest:guest@{Host}:5672/{VirtualHost}");

    public static async Task<TestBroker> CreateAsync()
    {
        var management = new HttpClient { BaseAddress = new Uri($"http://{Host}:15672/api/") };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        var vhost = "test-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            (await management.PutAsync($"vhosts/{vhost}", null)).EnsureSuccessStatusCode();
            (await management.PutAsJsonAsync($"permissions/{vhost}/guest", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        }
        catch (HttpRequestException ex)
        {
            management.Dispose();
            throw new InvalidOperationException(
                $"The integration tests need RabbitMQ with its management plugin on {Host} (5672, 15672). Start it with scripts/start-rabbitmq.sh.", ex);
        }
        return new TestBroker(vhost, management);
    }

    /// <summary>How many consumers a queue has now (0 while it does not exist).</summary>
    public async Task<int> ConsumerCountAsync(string queue)
    {
        using var response = await _management.GetAsync($"queues/{VirtualHost}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
            return 0;
        var json = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return json.TryGetProperty("consumers", out var consumers) ? consumers.GetInt32() : 0;
    }

    /// <summary>How many messages a queue holds ready (not handed to a consumer), from the management API (0 while it does not exist).</summary>
    public async Task<long> ReadyCountAsync(string queue)
    {
        using var response = await _management.GetAsync($"queues/{VirtualHost}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
            return 0;
        var json = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return json.TryGetProperty("messages_ready", out var ready) ? ready.GetInt64() : 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _management.DeleteAsync($"vhosts/{VirtualHost}");
        }
        finally
        {
            _management.Dispose();
        }
    }
}
