using System.Diagnostics;

namespace Provisioning.IntegrationTests;

/// <summary>The benchmark's quick mode still runs end to end and prints its table. No timing is asserted: figures belong in the benchmark's output, not in a test.</summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task QuickMode_RunsEveryScenarioAndPrintsTheTable()
    {
        var bench = Path.Combine(RepositoryPaths.Root, "bench", "Provisioning.Benchmark", "bin", RepositoryPaths.Configuration, "net10.0", "Provisioning.Benchmark.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [bench, "--quick", "--commands", "100", "--replicas", "1,2"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("baseline: bare MassTransit", text, StringComparison.Ordinal);
        Assert.Contains("naive: one HTTP call", text, StringComparison.Ordinal);
        Assert.Contains("ours / naive at 0 ms", text, StringComparison.Ordinal);
        Assert.Contains("ours, 45033 storm", text, StringComparison.Ordinal);
        Assert.Contains("idempotency store Sqlite: median added latency", text, StringComparison.Ordinal);
        Assert.Contains("steady soaks", text, StringComparison.Ordinal);
    }
}
