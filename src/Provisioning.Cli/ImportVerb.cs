using System.CommandLine;
using System.Globalization;
using Provisioning.Cli.Import;
using Provisioning.Contracts;
using Spectre.Console;

namespace Provisioning.Cli;

/// <summary>
/// <c>import FILE</c>: members from a CSV or XLSX sheet. Every row is validated before anything is published; invalid
/// rows are reported and left out; the valid ones are published and their outcomes written to a report, which a second
/// run of the same file resumes from.
/// </summary>
internal static class ImportVerb
{
    public static Command Create(CliConsole console, Option<Uri> broker, Option<bool> json)
    {
        var file = CliOptions.ExistingFile("A .csv (UTF-8) or .xlsx sheet, one member a row, with WeCom's template headers (姓名, 账号, 手机, 部门, …) or English ones");
        var mode = new Option<string>("--as") { Description = "sync: create the member, or bring an existing one in line (as WeCom's own import); create: only create", DefaultValueFactory = _ => "sync" };
        mode.AcceptOnlyFromAmong("sync", "create");
        var corpId = new Option<string>("--corp-id") { Description = "The enterprise of rows without a corpId column [default: the consumer's default enterprise]", HelpName = "CORPID" };
        var map = new Option<string[]>("--map") { Description = "A column's field: \"HEADER=FIELD\", or \"HEADER=-\" to leave it out (repeatable)", HelpName = "HEADER=FIELD" };
        var sheet = new Option<string>("--sheet") { Description = "The XLSX sheet to read [default: the first]", HelpName = "NAME" };
        var report = new Option<FileInfo>("--report") { Description = "Where the result is written, one line per row [default: FILE's name + .report.csv]", HelpName = "PATH" };
        var restart = new Option<bool>("--restart") { Description = "Ignore the report of an earlier run of this file and publish every valid row again" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate every row and print every broken rule; publish nothing" };
        var timeout = CliOptions.Duration("--timeout", "Stop waiting when no outcome has arrived for this long", TimeSpan.FromSeconds(60));
        var noWait = new Option<bool>("--no-wait") { Description = "Publish and exit; a later run of the same file hears the outcomes" };
        var command = new Command("import", "Create or sync members from a CSV or XLSX sheet: all rows validated first, progress while publishing and while outcomes arrive, a report file, resumable")
        {
            file, mode, corpId, map, sheet, report, restart, dryRun, timeout, noWait,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            console.Json = parse.GetValue(json);
            var input = parse.GetValue(file)!;
            var settings = new Settings(input, CliOptions.BrokerOf(parse, broker), parse.GetValue(mode) == "create" ? typeof(CreateMember) : typeof(SyncMember),
                parse.GetValue(corpId), parse.GetValue(map) ?? [], parse.GetValue(sheet),
                parse.GetValue(report)?.FullName ?? Path.Combine(input.DirectoryName ?? ".", Path.GetFileNameWithoutExtension(input.Name) + ".report.csv"),
                parse.GetValue(restart), parse.GetValue(dryRun), parse.GetValue(timeout), !parse.GetValue(noWait));
            return RunAsync(console, settings, cancellationToken);
        });
        return command;
    }

    sealed record Settings(FileInfo File, Uri Broker, Type CommandType, string? CorpId, string[] Map, string? Sheet, string Report, bool Restart, bool DryRun,
        TimeSpan Timeout, bool Wait);

    static async Task<int> RunAsync(CliConsole console, Settings settings, CancellationToken cancellationToken)
    {
        var timings = new Timings();
        var table = ImportTable.Read(settings.File, settings.Sheet, ImportColumns.IsKnownHeader);
        var fields = ImportColumns.Resolve(table.Headers, settings.Map, column => table.Rows.All(r => string.IsNullOrWhiteSpace(r.Cells[column])));
        var rows = ImportRows.Build(table, fields, settings.CommandType, settings.CorpId);
        var invalid = rows.Where(r => r.Errors.Count > 0).ToList();
        var valid = rows.Where(r => r.Item is not null).ToList();
        timings.Validated = timings.Clock.Elapsed;

        console.Line($"{settings.File.Name}: {rows.Count} member row(s) under the header on row {table.HeaderRow}, as {settings.CommandType.Name}: {valid.Count} valid, {invalid.Count} invalid.");
        if (invalid.Count > 0)
            console.Line("Invalid rows (not published):");
        foreach (var row in invalid)
        {
            console.Line($"  ✘ row {row.Row.Number} {row.UserId}: {string.Join("; ", row.Errors)}");
            console.JsonLine(new { @event = "invalid", row = row.Row.Number, userId = row.UserId, errors = row.Errors });
        }
        if (settings.DryRun)
        {
            console.Line($"Nothing was published (--dry-run).");
            console.JsonLine(new { @event = "summary", rows = rows.Count, valid = valid.Count, invalid = invalid.Count, published = 0 });
            return invalid.Count > 0 ? ExitCodes.SomeFailed : ExitCodes.Ok;
        }

        var previous = settings.Restart ? [] : ImportReport.ReadPrevious(settings.Report);
        var entries = new Dictionary<int, ImportReport.Entry>();
        var toPublish = new List<ImportRows.Parsed>();
        foreach (var row in valid)
        {
            if (previous.TryGetValue(row.RequestId.ToString(), out var done) && done.Final)
                entries[row.Row.Number] = done with { Row = row.Row.Number };
            else
                toPublish.Add(row);
        }
        if (entries.Count > 0)
            console.Line($"Resuming: {entries.Count} row(s) already have an outcome in {Path.GetFileName(settings.Report)}; publishing the other {toPublish.Count}.");

        using (var journal = ImportReport.Open(settings.Report, append: previous.Count > 0))
        {
            foreach (var row in invalid)
                Record(journal, entries, new ImportReport.Entry(row.Row.Number, row.UserId, row.RequestId.ToString(), ImportReport.Invalid, "Invalid", "", string.Join("; ", row.Errors)));
            var byRequest = toPublish.ToDictionary(r => r.RequestId);
            var result = await PublishAsync(console, settings, toPublish, timings, outcome =>
            {
                var row = byRequest[outcome.RequestId];
                Record(journal, entries, new ImportReport.Entry(row.Row.Number, row.UserId, outcome.RequestId.ToString(), outcome.Event, outcome.Reason ?? "",
                    outcome.ErrCode?.ToString(CultureInfo.InvariantCulture) ?? "", outcome.Message));
                console.JsonLine(new { @event = "outcome", row = row.Row.Number, outcome.RequestId, type = outcome.Event, outcome.UserId, outcome.Succeeded, outcome.Reason, outcome.ErrCode, outcome.Message });
            }, cancellationToken).ConfigureAwait(false);
            foreach (var item in result?.Pending ?? toPublish.Select(r => r.Item!))
            {
                var row = byRequest[item.RequestId];
                entries.TryAdd(row.Row.Number, new ImportReport.Entry(row.Row.Number, row.UserId, row.RequestId.ToString(), ImportReport.NoOutcome, "", "",
                    settings.Wait ? "published; no outcome yet: run the import again to hear it" : "published (--no-wait): run the import again to hear the outcome"));
            }
        }
        lock (entries)
            ImportReport.Rewrite(settings.Report, entries.Values.ToList());
        return Summarize(console, settings, entries.Values.ToList(), invalid.Count, timings);
    }

    static void Record(ImportReport journal, Dictionary<int, ImportReport.Entry> entries, ImportReport.Entry entry)
    {
        lock (entries)
            entries[entry.Row] = entry;
        journal.Write(entry);
    }

    /// <summary>Publishes the rows with a progress bar each for publishing and for outcomes (plain lines when not on a terminal).</summary>
    static async Task<CommandRun.Result?> PublishAsync(CliConsole console, Settings settings, List<ImportRows.Parsed> rows, Timings timings,
        Action<CommandOutcome> arrived, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return null;
        var failures = 0;
        var published = 0;
        var heard = 0;
        ProgressTask? publishing = null, outcomes = null;
        var run = new CommandRun
        {
            Broker = settings.Broker,
            Parallel = 32,
            Wait = settings.Wait,
            Timeout = settings.Timeout,
            TimeoutIsIdle = true,
            Warn = console.Warn,
            Starting = () => console.Line($"Publishing {rows.Count} command(s) to {BrokerAddress.Safe(settings.Broker)}…"),
            Published = _ =>
            {
                publishing?.Increment(1);
                lock (rows)
                {
                    var count = ++published;
                    timings.Published = (count, timings.Clock.Elapsed);
                    if (publishing is null && (count % Math.Max(1, rows.Count / 10) == 0 || count == rows.Count))
                        console.Line($"  published {count}/{rows.Count}");
                }
            },
            Arrived = (_, outcome) =>
            {
                arrived(outcome);
                lock (rows)
                {
                    var failed = outcome.Succeeded ? failures : ++failures;
                    var count = ++heard;
                    timings.Heard = (count, timings.Clock.Elapsed);
                    if (outcomes is not null)
                    {
                        outcomes.Increment(1);
                        outcomes.Description = $"Outcomes ({failed} failed)";
                    }
                    else if (count % Math.Max(1, rows.Count / 10) == 0 || count == rows.Count)
                    {
                        console.Line($"  outcomes {count}/{rows.Count} ({failed} failed)");
                    }
                }
            },
        };
        var items = rows.Select(r => r.Item!).ToList();
        if (!console.Interactive || console.Json)
            return await run.ExecuteAsync(items, cancellationToken).ConfigureAwait(false);

        return await console.Ansi.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                publishing = context.AddTask("Publishing", maxValue: items.Count);
                outcomes = context.AddTask("Outcomes (0 failed)", maxValue: settings.Wait ? items.Count : 0);
                return await run.ExecuteAsync(items, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    static int Summarize(CliConsole console, Settings settings, List<ImportReport.Entry> entries, int invalid, Timings timings)
    {
        var groups = entries.GroupBy(e => e.Outcome is ImportReport.Invalid or ImportReport.NoOutcome || e.Reason.Length == 0 ? e.Outcome : $"{e.Outcome} ({e.Reason})")
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var failed = entries.Count(e => e.Final && e.Reason.Length > 0);
        var pending = entries.Count(e => e.Outcome == ImportReport.NoOutcome);
        console.JsonLine(new
        {
            @event = "summary", rows = entries.Count, invalid, failed, pending, report = settings.Report, outcomes = groups.ToDictionary(g => g.Key, g => g.Count()),
            validatedSeconds = Math.Round(timings.Validated.TotalSeconds, 3), published = timings.Published.Count,
            publishSeconds = Math.Round(timings.SincePublishing(timings.Published.At), 3), heard = timings.Heard.Count,
            heardSeconds = Math.Round(timings.SincePublishing(timings.Heard.At), 3),
        });
        if (!console.Json)
        {
            var table = new Table().AddColumns("outcome", "rows");
            foreach (var group in groups)
                table.AddRow(Markup.Escape(group.Key), group.Count().ToString(CultureInfo.InvariantCulture));
            console.Ansi.Write(table);
            console.Line(timings.ToString());
            console.Line($"Report: {settings.Report}");
        }
        if (pending > 0 && settings.Wait)
        {
            console.Fail($"{pending} row(s) have no outcome yet (none arrived for {settings.Timeout.TotalSeconds:0} s): they are queued, not lost; run the same import again to hear them");
            return ExitCodes.TimedOut;
        }
        return invalid > 0 || failed > 0 ? ExitCodes.SomeFailed : ExitCodes.Ok;
    }

    /// <summary>How long each stage took, from the start of the run: for the summary, and the import benchmark.</summary>
    sealed class Timings
    {
        public System.Diagnostics.Stopwatch Clock { get; } = System.Diagnostics.Stopwatch.StartNew();

        public TimeSpan Validated { get; set; }

        public (int Count, TimeSpan At) Published { get; set; }

        public (int Count, TimeSpan At) Heard { get; set; }

        /// <summary>Seconds from the end of validation (publishing starts then) to <paramref name="at"/>; 0 when it did not happen.</summary>
        public double SincePublishing(TimeSpan at) => at > Validated ? (at - Validated).TotalSeconds : 0;

        public override string ToString() =>
            $"Read and validated in {Validated.TotalSeconds:0.0} s" +
            (Published.Count > 0 ? $"; published {Published.Count} in {(Published.At - Validated).TotalSeconds:0.0} s ({Published.Count / Math.Max(0.001, (Published.At - Validated).TotalSeconds):0}/s)" : "") +
            (Heard.Count > 0 ? $"; {Heard.Count} outcome(s) {(Heard.At - Validated).TotalSeconds:0.0} s after the first publish ({Heard.Count / Math.Max(0.001, (Heard.At - Validated).TotalSeconds):0}/s)" : "") + ".";
    }

    /// <summary>Outcomes (or commands) a second, as the progress bar's own column.</summary>
    sealed class RateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{speed,6:0}/s" : "     -/s");
    }
}
