using System.Globalization;

namespace Provisioning.Benchmark;

/// <summary>What to run. <c>--quick</c> is the smoke mode (a few minutes); the defaults are the full run of the README.</summary>
internal sealed record BenchOptions
{
    public int Commands { get; init; } = 10_000;
    public int Runs { get; init; } = 3;
    public int[] Replicas { get; init; } = [1, 2, 4];
    public bool Quick { get; init; }
    public string? Only { get; init; }

    /// <summary>How long each steady soak runs (<c>--seconds</c>); the default is 300, or 20 with <c>--quick</c>.</summary>
    public int? SoakSeconds { get; init; }

    /// <summary>The soaks' steady rate (<c>--soak-rate</c>): the run was at about 140 creates/s.</summary>
    public int SoakRate { get; init; } = 140;

    /// <summary>Repeat every row <see cref="Runs"/> times, not only those where the code sets the pace.</summary>
    public bool RepeatAll { get; init; }

    /// <summary>
    /// Run the repeated rows in turn, run after run (<c>--alternate</c>): each run of every row before the next run of
    /// any, so that a row is not favoured by a quieter minute of the machine.
    /// </summary>
    public bool Alternate { get; init; }

    /// <summary>
    /// Settings to compare on the first row of ours that <c>--only</c> keeps, without it "ours, 0 ms, rate limit lifted"
    /// (<c>--variant "name:KEY=VALUE,KEY=VALUE"</c>, repeatable): each becomes a row of its own beside it, the environment
    /// of our consumer given these values as well
    /// (<c>READY_TO_RUN=1</c>: run the ReadyToRun publish instead of the build; <c>CONSUMER_DIR=path</c>: another build).
    /// </summary>
    public IReadOnlyList<Knob> Variants { get; init; } = [];

    /// <summary>Runtime settings to compare on a cold backlog (<c>--knobs</c>).</summary>
    public IReadOnlyList<Knob> Knobs { get; init; } = [];

    /// <summary>Where scripts/bench.sh publishes the consumer with ReadyToRun, as the container image does.</summary>
    public string ReadyToRunDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "artifacts", "consumer-r2r");

    /// <summary>One runtime setting: a name, environment variables, and the published ReadyToRun copy or the build.</summary>
    internal sealed record Knob(string Name, IReadOnlyDictionary<string, string> Environment, bool ReadyToRun)
    {
        /// <summary>Run our consumer from this directory instead.</summary>
        public string? Directory { get; init; }
    }

    /// <summary>
    /// What <c>--knobs</c> compares on a cold backlog, next to the plain row (the build as the tests run it, with the
    /// project's dynamic PGO off): PGO back on (the .NET default), no tiering, and the ReadyToRun publish (the
    /// container image) with PGO off and on. The environment overrides the project's runtimeconfig.
    /// </summary>
    static IReadOnlyList<Knob> RuntimeKnobs() =>
    [
        new("TieredPGO=1 (.NET default)", new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "1" }, false),
        new("TieredCompilation=0", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" }, false),
        new("ReadyToRun", new Dictionary<string, string>(), true),
        new("ReadyToRun, TieredPGO=1", new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "1" }, true),
    ];
    public string RabbitHost { get; init; } = Environment.GetEnvironmentVariable("PROVISIONING_TEST_RABBITMQ_HOST") ?? "127.0.0.1";
    public string? Postgres { get; init; } = Environment.GetEnvironmentVariable("PROVISIONING_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres";

    static Knob Variant(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            throw new ArgumentException($"--variant {text}: expected name:KEY=VALUE,KEY=VALUE");
        var settings = text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : throw new ArgumentException($"--variant {text}: '{pair[0]}' has no =VALUE"));
        // READY_TO_RUN=1: our consumer from the ReadyToRun publish (as the container image), not from the build.
        var readyToRun = settings.Remove("READY_TO_RUN", out var r2r) && r2r == "1";
        // CONSUMER_DIR=path: our consumer from another build (the commit before a change, say).
        return new Knob(text[..colon], settings, readyToRun) { Directory = settings.Remove("CONSUMER_DIR", out var directory) ? directory : null };
    }

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
                "--seconds" => options with { SoakSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--soak-rate" => options with { SoakRate = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--repeat-all" => options with { RepeatAll = true },
                "--knobs" => options with { Knobs = RuntimeKnobs() },
                "--alternate" => options with { Alternate = true },
                "--variant" => options with { Variants = [.. options.Variants, Variant(args[++i])] },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --quick --commands N --runs N --replicas 1,2,4 --no-postgres --only TEXT --repeat-all --knobs --alternate --variant \"name:KEY=VALUE,…\" --seconds N --soak-rate N"),
            };
        }
        return options;
    }
}
