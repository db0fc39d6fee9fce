using System.ComponentModel.DataAnnotations;

namespace Provisioning.WeComSimulator;

/// <summary>Section <c>Simulator</c>: the enterprise it plays and the faults it injects from the start.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Enterprises it accepts, corp id → contact-sync secret.</summary>
    /// <value>The default is one enterprise, ww-sim-corp with secret sim-secret.</value>
    public Dictionary<string, string> Corps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long an access token lives.</summary>
    /// <value>The default is 7200 seconds, as WeCom's.</value>
    [Range(1, 86400)]
    public int TokenLifetimeSeconds { get; set; } = 7200;

    /// <summary>Department ids that exist; others get a placeholder department (reported in created_department_list).</summary>
    /// <value>The default is 1 (the root) to 10.</value>
    public List<long> Departments { get; set; } = [];

    /// <summary>Faults in force at start-up; change them at run time with <c>PUT /admin/faults</c>.</summary>
    public FaultSettings Faults { get; set; } = new();
}

/// <summary>Fault injection for the write calls (create, update, delete, batch delete; latency: every call).</summary>
public sealed record FaultSettings
{
    /// <summary>Fixed latency added to every call, in milliseconds.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Random extra latency, uniform from 0 to this many milliseconds.</summary>
    public int LatencyJitterMs { get; init; }

    /// <summary>Share of write calls answered -1 (system busy), 0 to 1.</summary>
    public double BusyRate { get; init; }

    /// <summary>Share of write calls answered HTTP 502, 0 to 1.</summary>
    public double Http5xxRate { get; init; }

    /// <summary>Write calls allowed per minute and corp before 45009 (0: unlimited). A breach blocks for the rest of the minute, as WeCom's.</summary>
    public int PerMinuteLimit { get; init; }

    /// <summary>The window <see cref="PerMinuteLimit"/> counts over, in seconds, aligned to the clock (60 as WeCom's; shorter for tests).</summary>
    public int RateWindowSeconds { get; init; } = 60;

    /// <summary>Concurrent write calls allowed before 45033 (0: unlimited).</summary>
    public int ConcurrencyLimit { get; init; }

    /// <summary>When above 0, user/create creates the member and answers only after this many milliseconds ("slow success").</summary>
    public int SlowSuccessMs { get; init; }

    /// <summary>When true, every write call is unreachable: the connection is aborted without an answer.</summary>
    public bool Down { get; init; }
}
