using System.Globalization;

namespace Provisioning.Benchmark;

/// <summary>What to run. <c>--quick</c> is the smoke mode (under a minute); the defaults are the full run of the README.</summary>
internal sealed record BenchOptions
{
    public int Commands { get; init; } = 10_000;
    public int Runs { get; init; } = 3;
    public int[] Replicas { get; init; } = [1, 2, 4];
    public bool Quick { get; init; }
    public string? Only { get; init; }

    /// <summary>Repeat every row <see cref="Runs"/> times, not only those where the code sets the pace.</summary>
    public bool RepeatAll { get; init; }

    /// <summary>Runtime settings to compare on a cold backlog (<c>--knobs</c>): name → environment.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, string>> Knobs { get; init; } = [];

    /// <summary>The runtime settings <c>--knobs</c> compares: tiered compilation and PGO off and on.</summary>
    static Dictionary<string, IReadOnlyDictionary<string, string>> RuntimeKnobs() => new()
    {
        ["TieredCompilation=0"] = new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" },
        ["TieredPGO=0"] = new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" },
        ["TC_QuickJitForLoops=0"] = new Dictionary<string, string> { ["DOTNET_TC_QuickJitForLoops"] = "0" },
        ["ReadyToRun=0 (ignore R2R code)"] = new Dictionary<string, string> { ["DOTNET_ReadyToRun"] = "0" },
    };
    public string RabbitHost { get; init; } = Environment.GetEnvironmentVariable("PROVISIONING_TEST_RABBITMQ_HOST") ?? "127.0.0.1";
    public string? Postgres { get; init; } = Environment.GetEnvironmentVariable("PROVISIONING_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        if (args.Contains("--quick"))
            options = options with { Quick = true, Commands = 400, Runs = 1, Replicas = [1, 2] };
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--quick" => options,
                "--commands" => options with { Commands = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--replicas" => options with { Replicas = [.. args[++i].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))] },
                "--no-postgres" => options with { Postgres = null },
                "--only" => options with { Only = args[++i] },
                "--repeat-all" => options with { RepeatAll = true },
                "--knobs" => options with { Knobs = RuntimeKnobs() },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --quick --commands N --runs N --replicas 1,2,4 --no-postgres --only TEXT --repeat-all --knobs"),
            };
        }
        return options;
    }
}
