namespace Provisioning.Benchmark;

/// <summary>Which consumer a scenario runs.</summary>
internal enum ConsumerKind
{
    /// <summary>Ours, with its settings' defaults unless the scenario says otherwise.</summary>
    Ours,

    /// <summary>A bare MassTransit consumer that only publishes a reply: the ceiling of the broker and MassTransit.</summary>
    Bare,

    /// <summary>A deliberately naive consumer: one HTTP call to WeCom and a reply, no store, no limiter, default prefetch.</summary>
    Naive,
}

/// <summary>One configuration to measure.</summary>
/// <param name="Name">Its row label.</param>
/// <param name="Kind">Which consumer.</param>
/// <param name="Replicas">Consumer processes on the one queue.</param>
/// <param name="LatencyMs">The simulator's added latency per WeCom call.</param>
/// <param name="Store">Idempotency store: None, Sqlite or Postgres.</param>
/// <param name="RaisedLimits">Lift the client-side rate limit, to measure the code rather than WeCom's allowance.</param>
/// <param name="Commands">How many commands.</param>
/// <param name="OpenLoopRate">Commands per second published at a steady pace (0: as fast as 100 in flight allow).</param>
/// <param name="JitterMs">Random extra latency per call, uniform from 0 to this.</param>
/// <param name="Corps">Enterprises the commands are spread over (each with WeCom's limit of its own).</param>
/// <param name="WeComConcurrencyLimit">The simulator answers 45033 beyond this many calls in flight (0: no limit).</param>
/// <param name="Cold">A backlog published before a fresh consumer process starts, without warm-up.</param>
/// <param name="Environment">Extra settings for our consumer (e.g. runtime knobs).</param>
/// <param name="ConsumerDirectory">Run our consumer from here (a ReadyToRun publish) instead of the build output.</param>
/// <param name="Mixed">Creates, updates and disables of the same people (in blocks of 50 people: their creates, then their
/// updates, then their disables) instead of creates only.</param>
/// <param name="Burst">Each person's hire, move, leave and rehire (create, update, disable, enable) published back to back,
/// person after person: what the member order costs when a person's commands are in flight together (issue 19).</param>
/// <param name="SoakSeconds">A steady soak this long (at <paramref name="OpenLoopRate"/>), sampling memory and the stores' files (0: not a soak).</param>
internal sealed record Scenario(string Name, ConsumerKind Kind, int Replicas, int LatencyMs, string Store, bool RaisedLimits, int Commands,
    int OpenLoopRate = 0, int JitterMs = 0, int Corps = 1, int WeComConcurrencyLimit = 0, bool Cold = false,
    IReadOnlyDictionary<string, string>? Environment = null, string? ConsumerDirectory = null, bool Mixed = false, bool Burst = false, int SoakSeconds = 0);

/// <summary>What one run of a scenario measured.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Throughput">Outcomes per second, from the first publish (a cold drain: the first outcome) to the last outcome.</param>
/// <param name="P50">Median publish-to-outcome latency, ms.</param>
/// <param name="P95">95th percentile, ms.</param>
/// <param name="P99">99th percentile, ms.</param>
/// <param name="Max">Slowest, ms.</param>
/// <param name="CpuSeconds">CPU time of the consumer process(es) during the measured part.</param>
/// <param name="PeakRssMiB">The largest peak resident set of a consumer process.</param>
/// <param name="Failed">MemberCreationFailed outcomes and missing outcomes.</param>
/// <param name="SlowestCorp">The lowest creates/s of any one enterprise.</param>
/// <param name="FirstTenSeconds">Creates/s over the first 10 s after the first outcome (cold scenarios).</param>
/// <param name="AfterTenSeconds">Creates/s from then to the last outcome: the steady state a cold start is compared with.</param>
/// <param name="RateLimited">45009 answers the simulator gave.</param>
/// <param name="ConcurrencyLimited">45033 answers the simulator gave.</param>
/// <param name="Soak">A soak's memory and file sizes over time.</param>
internal sealed record Result(Scenario Scenario, double Throughput, double P50, double P95, double P99, double Max, double CpuSeconds, double PeakRssMiB,
    int Failed, double SlowestCorp, double FirstTenSeconds, double AfterTenSeconds, int RateLimited, int ConcurrencyLimited, SoakFigures? Soak = null)
{
    /// <summary>CPU-seconds of the consumer process(es) per 1,000 commands.</summary>
    public double CpuPerThousand => CpuSeconds * 1000 / Scenario.Commands;
}
