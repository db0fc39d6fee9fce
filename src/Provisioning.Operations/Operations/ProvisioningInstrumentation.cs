using System.Diagnostics;
using System.Diagnostics.Metrics;
using Provisioning.WeCom;

namespace Provisioning.Operations;

/// <summary>Owns our <see cref="Meter"/>; every provisioning metric is made here. Traces are MassTransit's and HttpClient's.</summary>
internal sealed class ProvisioningInstrumentation
{
    public const string Name = "Provisioning.Consumer";

    readonly Counter<long> _created;
    readonly Counter<long> _failed;
    readonly Counter<long> _replayed;
    readonly Counter<long> _parked;
    readonly Counter<long> _applied;
    readonly Counter<long> _commandsFailed;
    readonly Counter<long> _held;
    readonly Counter<long> _logDropped;
    readonly Histogram<double> _duration;

    /// <summary>The label of every enterprise this service does not serve (issue 20: publishers must not choose label values).</summary>
    public const string UnknownCorp = "unknown";

    readonly CorpDirectory _corps;

    public ProvisioningInstrumentation(IMeterFactory meterFactory, CorpDirectory corps)
    {
        _corps = corps;
        var meter = meterFactory.Create(Name);
        _created = meter.CreateCounter<long>("provisioning.members.created", "{member}", "Members created (or found already created by an earlier attempt).");
        _failed = meter.CreateCounter<long>("provisioning.members.failed", "{member}", "Commands that ended in MemberCreationFailed, by reason.");
        _parked = meter.CreateCounter<long>("provisioning.retries.parked", "{message}", "Deliveries parked in a delayed-retry queue, by tier.");
        _applied = meter.CreateCounter<long>("provisioning.commands.applied", "{command}", "Commands applied, by operation (create, update, disable, enable, delete, sync).");
        _commandsFailed = meter.CreateCounter<long>("provisioning.commands.failed", "{command}", "Commands that ended in a failure event, by operation and reason.");
        _held = meter.CreateCounter<long>("provisioning.removals.held", "{command}", "Disables and deletes held by the deletion guard, by corp and operation.");
        _logDropped = meter.CreateCounter<long>("provisioning.request_log.dropped", "{step}", "Steps not written to the request log because too many waited (its store down).");
        _duration = meter.CreateHistogram<double>("provisioning.command.duration", "s",
            "From when a command was sent to its outcome, by operation and result (applied or the failure's reason).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });
        _replayed = meter.CreateCounter<long>("provisioning.outcomes.replayed", "{message}", "Duplicates of ended requests answered with the stored outcome.");
    }

    public void MemberCreated(string corpId, bool alreadyExisted)
    {
        _created.Add(1, new("corp_id", Corp(corpId)), new("already_existed", alreadyExisted));
        Activity.Current?.SetTag("provisioning.outcome", alreadyExisted ? "AlreadyExisted" : "Created");
    }

    public void RemovalHeld(string corpId, string operation) => _held.Add(1, new("corp_id", Corp(corpId)), new("operation", operation));

    public void RequestLogDropped() => _logDropped.Add(1);

    public void Parked(int tier) => _parked.Add(1, new KeyValuePair<string, object?>("tier", tier));

    public void OutcomeReplayed(string outcomeType)
    {
        _replayed.Add(1, new KeyValuePair<string, object?>("outcome", outcomeType));
        Activity.Current?.SetTag("provisioning.replay", true);
    }

    /// <summary>How long a command took from its send time to its outcome (unknown send time: not recorded).</summary>
    public void CommandEnded(string operation, string corpId, string result, TimeSpan sinceSent) =>
        _duration.Record(Math.Max(sinceSent.TotalSeconds, 0), new("operation", operation), new("corp_id", Corp(corpId)), new("result", result));

    public void CommandApplied(string operation, string corpId) => _applied.Add(1, new("operation", operation), new("corp_id", Corp(corpId)));

    public void CommandFailed(string operation, string corpId, string reason, int? errCode)
    {
        _commandsFailed.Add(1, new("operation", operation), new("corp_id", Corp(corpId)), new("reason", reason));
        // The create counters stay as they were for the dashboards that count members created and failed.
        if (operation == "create")
            _failed.Add(1, new("corp_id", Corp(corpId)), new("reason", reason));
        Activity.Current?.SetTag("provisioning.outcome", reason);
        if (errCode is not null)
            Activity.Current?.SetTag("wecom.errcode", errCode);
    }

    /// <summary>
    /// A corp id as a label: one of this service's enterprises, or <see cref="UnknownCorp"/>, so that the series a scrape
    /// holds are bounded by the configuration, not by the corp ids publishers send (each would add a set of series).
    /// </summary>
    string Corp(string? corpId) => _corps.TryResolve(corpId, out var known) ? known : UnknownCorp;
}
