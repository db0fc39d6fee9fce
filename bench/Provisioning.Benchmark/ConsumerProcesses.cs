using System.Diagnostics;
using System.Globalization;

namespace Provisioning.Benchmark;

/// <summary>Consumer processes for one scenario, with their CPU time and peak resident memory.</summary>
internal sealed class ConsumerProcesses : IAsyncDisposable
{
    readonly List<Process> _processes = [];
    readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <summary>What the processes printed (for the report of a process that died).</summary>
    public string Output => string.Join('\n', _output.TakeLast(60));

    public bool AnyExited => _processes.Any(p => p.HasExited);

    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Provisioning.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Provisioning.sln not found");
    }

    static string Configuration => AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public async Task StartAsync(BenchBroker broker, int count, bool baseline, Dictionary<string, string> settings)
    {
        for (var i = 0; i < count; i++)
        {
            ProcessStartInfo start;
            if (baseline)
            {
                start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Provisioning.Benchmark.dll"), "baseline-consumer", broker.AmqpUri.ToString()]);
            }
            else
            {
                var directory = Path.Combine(Root, "src", "Provisioning.Consumer", "bin", Configuration, "net10.0");
                start = new ProcessStartInfo("dotnet", [Path.Combine(directory, "Provisioning.Consumer.dll")]) { WorkingDirectory = directory };
                foreach (var (key, value) in settings)
                    start.Environment[key] = value;
                start.Environment["ConnectionStrings__RabbitMq"] = broker.AmqpUri.ToString();
                start.Environment["Urls"] = "http://127.0.0.1:0";
                start.Environment["Logging__LogLevel__Default"] = "Warning";
            }
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add(process);
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await broker.ConsumersAsync("create-member").ConfigureAwait(false) < count)
        {
            if (DateTime.UtcNow > deadline || _processes.Any(p => p.HasExited))
                throw new InvalidOperationException("Consumer processes did not start:\n" + Output);
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                return TimeSpan.FromTicks(_processes.Sum(p => { p.Refresh(); return p.TotalProcessorTime.Ticks; }));
            }
            catch (InvalidOperationException)
            {
                var codes = string.Join(", ", _processes.Where(p => p.HasExited).Select(p => $"{p.Id} exited with {p.ExitCode}"));
                throw new InvalidOperationException($"A consumer process died during the run ({codes}):\n{Output}");
            }
        }
    }

    /// <summary>The largest peak resident set (VmHWM) among the processes, in MiB.</summary>
    public double PeakRssMiB => _processes.Max(p =>
    {
        var line = File.ReadLines($"/proc/{p.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            process.Dispose();
        }
    }
}
