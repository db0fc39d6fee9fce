using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Provisioning.IntegrationTests;

/// <summary>
/// docker-compose.yml as a user's Docker would read it (Debian's docker-compose validates it; there is no engine here),
/// and its health checks run as the container runs them, against the real simulator.
/// </summary>
public sealed partial class DeploymentFileTests
{
    static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [Theory]
    [InlineData("--profile", "simulator")]
    [InlineData("--log-level", "ERROR")]
    public async Task TheComposeFile_IsValid_WithAndWithoutTheSimulatorProfile(string option, string value)
    {
        var (exitCode, output) = await RunAsync("docker-compose", "-f", "docker-compose.yml", option, value, "config");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("CMD-SHELL", output, StringComparison.Ordinal);
        Assert.Matches(@"profiles:\s+- simulator", output);
    }

    // A health check as written in the file: a flow sequence of double-quoted strings, which is JSON as well.
    [GeneratedRegex(@"^\s*test: (?<array>\[.*\])\s*$", RegexOptions.Multiline)]
    private static partial Regex HealthCheck();

    [Fact]
    public async Task TheSimulatorsHealthCheck_AnswersInBash_ButWouldFailInDash()
    {
        await using var simulator = await Simulator.StartAsync();
        var checks = HealthCheck().Matches(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docker-compose.yml")))
            .Select(m => System.Text.Json.JsonSerializer.Deserialize<string[]>(m.Groups["array"].Value)!).ToList();
        Assert.Equal(3, checks.Count);
        var commands = checks.Where(c => c[0] == "CMD" && c[1] == "bash" && c[2] == "-c").Select(c => c[3]).ToList();
        Assert.Equal(2, commands.Count);
        var probe = Assert.Single(commands, c => c.Contains("/healthz", StringComparison.Ordinal)).Replace("8090", simulator.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("bash", "-c", probe)).ExitCode);
        // What the old CMD-SHELL ran it with: dash has no /dev/tcp.
        Assert.NotEqual(0, (await RunAsync("sh", "-c", probe)).ExitCode);
    }
}
