using System.Collections.Concurrent;
using System.Diagnostics;

namespace Provisioning.TestSupport;

/// <summary>
/// The consumer as a separate OS process, started from the build the tests run on: for competing consumers and
/// for crashes (<see cref="Kill"/> is SIGKILL). Its output is kept for the failure message of a test.
/// </summary>
public sealed class ConsumerProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly ConcurrentQueue<string> _output = new();
    readonly ConcurrentQueue<string> _errors = new();
    int _disposed;

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
        var consumer = Launch(EnvironmentFor(broker, simulator, settings));
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

    /// <summary>The environment of a consumer on this broker and simulator: test defaults, then <paramref name="settings"/>.</summary>
    public static Dictionary<string, string> EnvironmentFor(TestBroker broker, Simulator simulator, Dictionary<string, string> settings)
    {
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
        return environment;
    }

    /// <summary>
    /// Starts the consumer's process with exactly this environment (and a free port for its health endpoints), without
    /// waiting; from the build the tests run on, or from <paramref name="directory"/> (a published copy, say).
    /// </summary>
    public static ConsumerProcess Launch(Dictionary<string, string> environment, string? directory = null)
    {
        directory ??= RepositoryPaths.Output("Provisioning.Consumer");
        var environmentWithPort = new Dictionary<string, string> { ["Urls"] = "http://127.0.0.1:0" };
        foreach (var (key, value) in environment)
            environmentWithPort[key] = value;
        // The provisioning log and the console's keys beside a test's own idempotency file, not shared with other tests.
        if (environment.TryGetValue("Storage__SqlitePath", out var store))
        {
            environmentWithPort.TryAdd("Storage__RequestLog__SqlitePath", store + "-log.db");
            environmentWithPort.TryAdd("Operator__KeysPath", store + "-keys");
        }
        return Launch(Path.Combine(directory, "Provisioning.Consumer.dll"), [], directory, environmentWithPort);
    }

    /// <summary>Starts any .NET program (the benchmark's baseline consumer, say) with its output kept.</summary>
    public static ConsumerProcess Launch(string assembly, IReadOnlyList<string> arguments, string workingDirectory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [assembly, .. arguments])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        return new ConsumerProcess(Process.Start(start)!);
    }

    public int Id => _process.Id;

    /// <summary>CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The process's peak resident set (VmHWM), in MiB.</summary>
    public double PeakRssMiB
    {
        get
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }
    }

    /// <summary>The process's resident set now (VmRSS), in MiB: 0 once it has exited.</summary>
    public double RssMiB
    {
        get
        {
            try
            {
                var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    /// <summary>What the process wrote to standard error alone.</summary>
    public string ErrorOutput => string.Join('\n', _errors);

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGKILL: no shutdown, unacknowledged messages go back to the queue.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Kills the process if it still runs; a second call (an owner's, after the test disposed it) does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
