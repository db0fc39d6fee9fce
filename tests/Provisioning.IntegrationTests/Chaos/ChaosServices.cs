using System.Diagnostics;

namespace Provisioning.IntegrationTests.Chaos;

/// <summary>
/// Throw-away services for the chaos runs, beside the ones the other tests share (which must not be restarted under
/// them): RabbitMQ nodes from scripts/start-rabbitmq-nodes.sh and a PostgreSQL from scripts/start-postgres.sh.
/// </summary>
internal static class ChaosServices
{
    /// <summary>One node, chaos-1@localhost, on 5681 (management 15681): restarted in the middle of a run.</summary>
    public static readonly BrokerNode SingleNode = new("127.0.0.1", 5681, 15681);

    /// <summary>Three clustered nodes, cluster-1..3@localhost, on 5691-5693 (management 15691-15693).</summary>
    public static readonly BrokerNode[] Cluster = [new("127.0.0.1", 5691, 15691), new("127.0.0.1", 5692, 15692), new("127.0.0.1", 5693, 15693)];

    /// <summary>A PostgreSQL of its own on 55433, restarted in the middle of a run.</summary>
    public const string PostgresServer = "Host=127.0.0.1;Port=55433;Username=postgres;Timeout=5;Command Timeout=10";
    const string PostgresData = "/var/tmp/provisioning-pg-chaos";

    // Whether a test of this run started (or found) a throw-away service: then StopStartedAsync stops them.
    static int _ensured;

    public static Task EnsureSingleNodeAsync() => EnsureAsync("scripts/start-rabbitmq-nodes.sh", ["chaos", "1", "5681"]);

    public static Task EnsureClusterAsync() => EnsureAsync("scripts/start-rabbitmq-nodes.sh", ["cluster", "3", "5691"]);

    public static Task EnsurePostgresAsync() =>
        EnsureAsync("scripts/start-postgres.sh", environment: new() { ["PROVISIONING_PGDATA"] = PostgresData, ["PROVISIONING_PGPORT"] = "55433" });

    static Task EnsureAsync(string script, string[]? arguments = null, Dictionary<string, string>? environment = null)
    {
        Interlocked.Exchange(ref _ensured, 1);
        return ScriptAsync(script, arguments, environment);
    }

    /// <summary>
    /// Stops every throw-away node and PostgreSQL (scripts/stop-services.sh throwaway) once a test started one, and waits
    /// until their processes have exited (rabbitmqctl stop answers while the node's VM is still going down): none
    /// outlives the tests.
    /// </summary>
    public static async Task StopStartedAsync()
    {
        if (Interlocked.Exchange(ref _ensured, 0) == 0)
            return;
        var pids = new[] { "chaos-1", "cluster-1", "cluster-2", "cluster-3" }.Select(node => $"/var/tmp/provisioning-rabbit/{node}/pid")
            .Append(Path.Combine(PostgresData, "postmaster.pid"))
            .Select(PidIn).Where(pid => pid > 0).ToList();
        await ScriptAsync("scripts/stop-services.sh", ["throwaway"]);
        await Wait.Until(() => Task.FromResult(!pids.Any(pid => Directory.Exists($"/proc/{pid}"))), TimeSpan.FromSeconds(60),
            $"the throw-away services' processes ({string.Join(", ", pids)}) to exit");
    }

    /// <summary>The process id on a pid file's first line; 0 when there is none (the service is not running) or it cannot be read.</summary>
    static int PidIn(string file)
    {
        try
        {
            return int.TryParse(File.ReadLines(file).FirstOrDefault()?.Trim(), out var pid) ? pid : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Stops and starts the RabbitMQ application on a node: every connection drops, durable queues stay.</summary>
    public static async Task RestartBrokerAsync(string node)
    {
        await RunAsync("rabbitmqctl", ["-q", "-n", node, "stop_app"]);
        await RunAsync("rabbitmqctl", ["-q", "-n", node, "start_app"]);
    }

    /// <summary>SIGKILL of a node's Erlang VM: no goodbye to its peers or clients.</summary>
    public static async Task KillNodeAsync(string name)
    {
        var pid = (await File.ReadAllTextAsync($"/var/tmp/provisioning-rabbit/{name}/pid")).Trim();
        await RunAsync("kill", ["-9", pid]);
    }

    /// <summary>Stops PostgreSQL (fast: connections are cut), waits, starts it again.</summary>
    public static async Task RestartPostgresAsync(TimeSpan down)
    {
        await RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", $"/usr/lib/postgresql/15/bin/pg_ctl -D {PostgresData} -m fast -w stop"]);
        await Task.Delay(down);
        await EnsurePostgresAsync();
    }

    static Task ScriptAsync(string script, string[]? arguments = null, Dictionary<string, string>? environment = null) =>
        RunAsync("bash", [Path.Combine(RepositoryPaths.Root, script), .. arguments ?? []], environment);

    static async Task RunAsync(string file, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        foreach (var (key, value) in environment ?? [])
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
    }
}
