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
    readonly ConcurrentQueue<string> _errors = new();

    ConsumerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            _output.Enqueue(e.Data);
            _errors.Enqueue(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a consumer and waits until the broker shows one more consumer on create-member.</summary>
    public static async Task<ConsumerProcess> StartAsync(TestBroker broker, Simulator simulator, Dictionary<string, string> settings)
    {
        var before = await broker.ConsumerCountAsync("create-member");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__RabbitMq"] = broker.AmqpUri.ToString(),
            ["WeCom__BaseUrl"] = simulator.BaseUrl.ToString(),
            ["WeCom__CorpId"] = Simulator.CorpId,
            ["WeCom__CorpSecret"] = simulator.Secret,
            ["Consumer__RetryMinInterval"] = "00:00:00.050",
            ["Consumer__RetryMaxInterval"] = "00:00:00.200",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
            environment[key] = value;

        var consumer = Launch(environment);
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

    /// <summary>Starts the consumer's process with exactly this environment (and a free port for its health endpoints), without waiting.</summary>
    public static ConsumerProcess Launch(Dictionary<string, string> environment)
    {
        var directory = RepositoryPaths.Output("Provisioning.Consumer");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(directory, "Provisioning.Consumer.dll")])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        return new ConsumerProcess(Process.Start(start)!);
    }

    /// <summary>What the process wrote to standard error alone.</summary>
    public string ErrorOutput => string.Join('\n', _errors);

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

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
