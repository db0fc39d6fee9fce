using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Provisioning.TestSupport;

/// <summary>A RabbitMQ node: where its AMQP listener and its management API are.</summary>
public sealed record BrokerNode(string Host, int AmqpPort, int ManagementPort)
{
    /// <summary>The broker scripts/start-rabbitmq.sh starts (override the host with PROVISIONING_TEST_RABBITMQ_HOST).</summary>
    public static BrokerNode Default { get; } = new(Environment.GetEnvironmentVariable("PROVISIONING_TEST_RABBITMQ_HOST") ?? "127.0.0.1", 5672, 15672);
}

/// <summary>
/// A fresh virtual host on a real broker for one fixture (or benchmark scenario), so fixtures running in parallel never
/// see each other's queues.
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    readonly HttpClient _management;

    TestBroker(BrokerNode node, string virtualHost, HttpClient management)
    {
        Node = node;
        VirtualHost = virtualHost;
        _management = management;
    }

    public BrokerNode Node { get; }

    public string VirtualHost { get; }

    public Uri AmqpUri => new($"amqp://guest:guest@{Node.Host}:{Node.AmqpPort}/{VirtualHost}");

    public static async Task<TestBroker> CreateAsync(BrokerNode? node = null, string prefix = "test")
    {
        node ??= BrokerNode.Default;
        var management = new HttpClient { BaseAddress = new Uri($"http://{node.Host}:{node.ManagementPort}/api/") };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        var vhost = prefix + "-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            (await management.PutAsync($"vhosts/{vhost}", null)).EnsureSuccessStatusCode();
            (await management.PutAsJsonAsync($"permissions/{vhost}/guest", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        }
        catch (HttpRequestException ex)
        {
            management.Dispose();
            throw new InvalidOperationException(
                $"The tests need RabbitMQ with its management plugin on {node.Host} ({node.AmqpPort}, {node.ManagementPort}). Start it with scripts/start-rabbitmq.sh.", ex);
        }
        return new TestBroker(node, vhost, management);
    }

    /// <summary>How many consumers a queue has now (0 while it does not exist).</summary>
    public async Task<int> ConsumerCountAsync(string queue) => (int)await QueueCounterAsync(queue, "consumers");

    /// <summary>How many messages a queue holds ready (not handed to a consumer), from the management API (0 while it does not exist).</summary>
    public Task<long> ReadyCountAsync(string queue) => QueueCounterAsync(queue, "messages_ready");

    /// <summary>Every queue of the virtual host that holds a message (ready or unacknowledged), for a failure message.</summary>
    public async Task<string> QueueSummaryAsync()
    {
        using var response = await _management.GetAsync($"queues/{VirtualHost}");
        if (!response.IsSuccessStatusCode)
            return $"(queues not listed: {(int)response.StatusCode})";
        var queues = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return string.Join(", ", queues.EnumerateArray()
            .Select(q => (Name: q.GetProperty("name").GetString(), Ready: Counter(q, "messages_ready"), Unacked: Counter(q, "messages_unacknowledged")))
            .Where(q => q.Ready + q.Unacked > 0)
            .Select(q => $"{q.Name}: {q.Ready} ready, {q.Unacked} unacked"));

        static long Counter(System.Text.Json.JsonElement queue, string name) => queue.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.Number ? value.GetInt64() : 0;
    }

    async Task<long> QueueCounterAsync(string queue, string counter)
    {
        using var response = await _management.GetAsync($"queues/{VirtualHost}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
            return 0;
        var json = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return json.TryGetProperty(counter, out var value) ? value.GetInt64() : 0;
    }

    /// <summary>Whether an exchange exists now, from the management API (nothing is declared by asking).</summary>
    public async Task<bool> ExchangeExistsAsync(string exchange)
    {
        using var response = await _management.GetAsync($"exchanges/{VirtualHost}/{Uri.EscapeDataString(exchange)}");
        return response.IsSuccessStatusCode;
    }

    /// <summary>The node that leads a queue (a quorum queue's leader, a classic queue's home node).</summary>
    public async Task<string> QueueLeaderAsync(string queue)
    {
        var json = await _management.GetFromJsonAsync<System.Text.Json.JsonElement>($"queues/{VirtualHost}/{Uri.EscapeDataString(queue)}");
        return (json.TryGetProperty("leader", out var leader) ? leader : json.GetProperty("node")).GetString()!;
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
