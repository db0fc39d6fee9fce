using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Provisioning.IntegrationTests;

/// <summary>
/// Runs the README's main command, scripts/quickstart.sh, end to end (start, publish the samples, every outcome
/// printed, stop) so that it cannot rot. It runs on the build the tests run on, in its own virtual host and port.
/// </summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task QuickStart_PrintsEverySamplesOutcomeAndStopsCleanly()
    {
        var root = RepositoryPaths.Root;
        await using var broker = await TestBroker.CreateAsync();
        var state = Directory.CreateTempSubdirectory("quickstart-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["QUICKSTART_STATE"] = state,
            ["QUICKSTART_NO_BUILD"] = "1",
            ["QUICKSTART_CONFIGURATION"] = RepositoryPaths.Configuration,
            ["QUICKSTART_VHOST"] = broker.VirtualHost,
            ["SIMULATOR_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CONSUMER_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        try
        {
            var (exitCode, output) = await Run(root, "scripts/quickstart.sh", environment, TimeSpan.FromMinutes(3));

            Assert.True(exitCode == 0, output);
            Assert.Matches(@"✔ MemberCreated\s+zhangsan\s", output);
            Assert.Matches(@"✔ MemberCreated\s+lisi\s", output);
            Assert.Matches(@"✔ MemberCreated\s+wangwu\s.*placeholder departments: 999", output);
            // A file that breaks WeCom's rules is refused by the CLI, every rule named, nothing published.
            Assert.Matches(@"invalid.json: item 0 \(CreateMember '_bad id'\): userId: ", output);
            Assert.Contains("2 of 2 command(s) in invalid.json break the consumer's rules (listed above); nothing was published", output, StringComparison.Ordinal);
            // The sheet: invalid rows first, the others synced; the second run resumes with every row done.
            Assert.Matches(@"✘ row 5 fengshiyi: 部门 \(departments\): '研发部' is not a department id", output);
            Assert.Matches(@"│ MemberSynced\s+│ 3\s+│", output);
            Assert.Contains("Resuming: 3 row(s) already have an outcome in members.report.csv; publishing the other 0.", output, StringComparison.Ordinal);
            Assert.Matches(@"✘ MemberCreationFailed ZhangSan\s+Conflict: errcode 60102", output);
            Assert.Matches(@"✘ MemberCreationFailed zhaoliu\s+Conflict: errcode 60104", output);
            // One person's life, and a delete refused by default (outcomes of different types may arrive in another order).
            Assert.All(["MemberCreated", "MemberUpdated", "MemberDisabled", "MemberEnabled"], e => Assert.Matches($@"✔ {e}\s+chenjing\s", output));
            Assert.Matches(@"✘ MemberDeletionFailed chenjing\s+NotAllowed: deleting members is switched off", output);
            Assert.True(File.Exists(Path.Combine(state, "consumer.pid")), "the consumer is left running after the samples");
            // The console's address is printed, and it answers there with what the samples did (no key from this machine).
            var console = $"http://127.0.0.1:{environment["CONSUMER_PORT"]}/console";
            Assert.Contains(console, output, StringComparison.Ordinal);
            using var http = new HttpClient();
            var page = "";
            await Wait.Until(async () => (page = await http.GetStringAsync($"{console}?userId=zhaoliu")).Contains("Conflict", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "zhaoliu's conflict on the console");
            Assert.Contains("赵六", page, StringComparison.Ordinal);
        }
        finally
        {
            var pids = new[] { "consumer.pid", "simulator.pid" }.Select(f => Path.Combine(state, f)).Where(File.Exists)
                .Select(f => int.Parse(File.ReadAllText(f).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var stillRunning = new List<int>();
            (int ExitCode, string Output) stop;
            try
            {
                stop = await Run(root, "scripts/quickstart.sh", environment, TimeSpan.FromMinutes(1), "stop");
            }
            finally
            {
                // What the stop left running is killed all the same (then reported below): nothing outlives the test.
                stillRunning.AddRange(pids.Where(IsRunning));
                foreach (var pid in stillRunning)
                    Kill(pid);
                Directory.Delete(state, recursive: true);
            }
            Assert.True(stop.ExitCode == 0, stop.Output);
            Assert.All(pids, pid => Assert.False(stillRunning.Contains(pid), $"process {pid} still runs after stop"));
        }
    }

    static async Task<(int ExitCode, string Output)> Run(string root, string script, Dictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [script, .. args])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', args)} did not finish within {timeout}: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // It ended meanwhile.
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
