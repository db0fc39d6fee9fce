namespace Provisioning.Benchmark;

/// <summary>One configuration to measure.</summary>
/// <param name="Name">Its row label.</param>
/// <param name="Baseline">The bare MassTransit consumer instead of ours.</param>
/// <param name="Replicas">Consumer processes on the one queue.</param>
/// <param name="LatencyMs">The simulator's added latency per WeCom call.</param>
/// <param name="Store">Idempotency store: None, Sqlite or Postgres.</param>
/// <param name="RaisedLimits">Lift the client-side rate limit, to measure the code rather than WeCom's allowance.</param>
/// <param name="Commands">How many commands.</param>
/// <param name="OpenLoopRate">Commands per second published at a steady pace (0: as fast as 100 in flight allow).</param>
internal sealed record Scenario(string Name, bool Baseline, int Replicas, int LatencyMs, string Store, bool RaisedLimits, int Commands, int OpenLoopRate = 0);

/// <summary>What one run of a scenario measured.</summary>
internal sealed record Result(Scenario Scenario, double Throughput, double P50, double P95, double P99, double Max, double CpuSeconds, double PeakRssMiB, int Failed);
