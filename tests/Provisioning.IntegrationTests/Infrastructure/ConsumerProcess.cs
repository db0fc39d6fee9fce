using System.Collections.Concurrent;
using System.Diagnostics;

namespace Provisioning.IntegrationTests.Infrastructure;

/// <summary>
/// The consumer as a separate OS process, started from the build the tests run on: for competing consumers and
/// for crashes (<see cref="Kill"/> is SIGKILL). Its output is kept for the failure message of a test.
/// </summary>
internal sealed class ConsumerProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly ConcurrentQueue<string> _output = new();

    ConsumerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a consumer and waits until the broker shows one more consumer on create-member.</summary>
    public static async Task<ConsumerProcess> StartAsync(TestBroker broker, Simulator simulator, Dictionary<string, string> settings)
    {
        var before = await broker.ConsumerCountAsync("create-member");
        var directory = RepositoryPaths.Output("Provisioning.Consumer");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(directory, "Provisioning.Consumer.dll")])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__RabbitMq"] = broker.AmqpUri.ToString();
        start.Environment["WeCom__BaseUrl"] = simulator.BaseUrl.ToString();
        start.Environment["WeCom__CorpId"] = Simulator.CorpId;
        start.Environment["WeCom__CorpSecret"] = simulator.Secret;
        start.Environment["Consumer__RetryMinInterval"] = "00:00:00.050";
        start.Environment["Consumer__RetryMaxInterval"] = "00:00:00.200";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings)
            start.Environment[key] = value;

        var consumer = new ConsumerProcess(Process.Start(start)!);
        try
        {
            await Wait.Until(async () => consumer.HasExited || await broker.ConsumerCountAsync("create-member") > before,
                TimeSpan.FromSeconds(60), "the consumer process to start consuming");
            if (consumer.HasExited)
                throw new InvalidOperationException("The consumer process exited at start-up:\n" + consumer.Output);
        }
        catch
        {
            await consumer.DisposeAsync();
            throw;
        }
        return consumer;
    }

    /// <summary>SIGKILL: no shutdown, unacknowledged messages go back to the queue.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
