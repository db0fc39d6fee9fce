using System.Diagnostics;
using System.Text;
using Provisioning.Cli;
using Provisioning.Contracts;
using RabbitMQ.Client;

namespace Provisioning.IntegrationTests.Retries;

/// <summary>The replay verb against a real error queue: filters, dry run, and a replay killed halfway that loses nothing.</summary>
public sealed class ReplayTests : IAsyncLifetime
{
    const string Input = "create-member";
    const string Error = "create-member_error";
    TestBroker _broker = null!;
    IConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _broker = await TestBroker.CreateAsync();
        _connection = await new ConnectionFactory { Uri = _broker.AmqpUri }.CreateConnectionAsync();
        await using var channel = await _connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(Input, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(Error, durable: true, exclusive: false, autoDelete: false);
    }

    public async Task DisposeAsync()
    {
        await _connection.CloseAsync();
        _connection.Dispose();
        await _broker.DisposeAsync();
    }

    /// <summary>Dead letters as MassTransit leaves them: the command, the fault headers, our retry tier.</summary>
    async Task<List<string>> DeadLettersAsync(int count, int errCode = -1)
    {
        await using var channel = await _connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid().ToString();
            var body = $$"""{"requestId":"{{Guid.NewGuid()}}","userId":"replay-{{i}}","name":"n","mobile":"13800000000"}""";
            await channel.BasicPublishAsync("", Error, mandatory: true, new BasicProperties
            {
                MessageId = id,
                ContentType = "application/json",
                Persistent = true,
                Headers = new Dictionary<string, object?>
                {
                    ["MT-Reason"] = "fault",
                    ["MT-Fault-Message"] = $"WeCom user/create failed (Transient: HTTP 200, errcode {errCode}, system busy)",
                    ["MT-Fault-Timestamp"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"),
                    [ProvisioningHeaders.RetryTier] = 4,
                    [ProvisioningHeaders.ErrCode] = errCode,
                },
            }, Encoding.UTF8.GetBytes(body));
            ids.Add(id);
        }
        return ids;
    }

    async Task<uint> DepthAsync(string queue)
    {
        await using var channel = await _connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>Every message id in the queue, read without acknowledging (so they stay).</summary>
    async Task<List<(string Id, IDictionary<string, object?>? Headers)>> PeekAsync(string queue)
    {
        await using var channel = await _connection.CreateChannelAsync();
        var found = new List<(string, IDictionary<string, object?>?)>();
        while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
            found.Add((message.BasicProperties.MessageId!, message.BasicProperties.Headers));
        return found;
    }

    [Fact]
    public async Task DryRun_ListsMatchesAndMovesNothing()
    {
        await DeadLettersAsync(3);
        var output = new StringWriter();

        var exitCode = await CliApp.RunAsync(["replay", "--broker", _broker.AmqpUri.ToString(), "--all", "--dry-run"], output, default);

        Assert.Equal(0, exitCode);
        Assert.Equal(3, output.ToString().Split('\n').Count(l => l.Contains("would replay", StringComparison.Ordinal)));
        Assert.Equal(3u, await DepthAsync(Error));
        Assert.Equal(0u, await DepthAsync(Input));
    }

    [Fact]
    public async Task ErrCodeFilter_MovesOnlyMatchesWithoutFailureHeaders()
    {
        var busy = await DeadLettersAsync(2, errCode: -1);
        var limited = await DeadLettersAsync(3, errCode: 45009);

        await CliApp.RunAsync(["replay", "--broker", _broker.AmqpUri.ToString(), "--errcode", "45009"], new StringWriter(), default);

        var moved = await PeekAsync(Input);
        Assert.Equal(limited.Order(), moved.Select(m => m.Id).Order());
        Assert.All(moved, m => Assert.False(m.Headers?.Keys.Any(k => k.StartsWith("MT-Fault", StringComparison.Ordinal) || k == "Provisioning-Retry-Tier") ?? false));
        Assert.Equal(busy.Order(), (await PeekAsync(Error)).Select(m => m.Id).Order());
    }

    [Fact]
    public async Task WithoutFilterOrAll_RefusesToReplay()
    {
        await DeadLettersAsync(1);
        var output = new StringWriter();

        Assert.Equal(2, await CliApp.RunAsync(["replay", "--broker", _broker.AmqpUri.ToString()], output, default));
        Assert.Equal(1u, await DepthAsync(Error));
    }

    [Fact]
    public async Task ReplayKilledHalfway_LosesNoMessage()
    {
        var ids = await DeadLettersAsync(30);
        var cli = Path.Combine(RepositoryPaths.Output("Provisioning.Cli"), "provisioning-cli.dll");
        using var replay = Process.Start(new ProcessStartInfo("dotnet", [cli, "replay", "--broker", _broker.AmqpUri.ToString(), "--all", "--rate", "10"])
        {
            RedirectStandardOutput = true,
        })!;
        try
        {
            await Wait.Until(async () => replay.HasExited || await DepthAsync(Input) >= 5, null, "some messages to be replayed");
            Assert.False(replay.HasExited, "the replay finished before it could be interrupted");
        }
        finally
        {
            replay.Kill(entireProcessTree: true);
            await replay.WaitForExitAsync();
        }

        // The killed connection's unacknowledged messages return to the error queue once the broker notices.
        await Wait.Until(async () => await DepthAsync(Input) + await DepthAsync(Error) >= 30, null, "every message back in a queue");
        var everywhere = (await PeekAsync(Input)).Concat(await PeekAsync(Error)).Select(m => m.Id).ToHashSet();
        Assert.Subset(everywhere, ids.ToHashSet());
        Assert.InRange((await PeekAsync(Input)).Count, 5, 29);
    }
}
