using System.CommandLine;
using Provisioning.Rules;
using Spectre.Console;

namespace Provisioning.Cli;

/// <summary><c>publish FILE</c>: every command of a JSON file, validated first, then published in order, and their outcomes.</summary>
internal static class PublishVerb
{
    public static Command Create(CliConsole console, Option<Uri> broker, Option<bool> json)
    {
        var file = CliOptions.ExistingFile("A JSON array of commands, camelCase, each with a \"type\" (CreateMember if none): see samples/");
        var timeout = CliOptions.Duration("--timeout", "How long to wait for the outcomes", TimeSpan.FromSeconds(60));
        var noWait = new Option<bool>("--no-wait") { Description = "Publish and exit without waiting for the outcomes" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate every command with the consumer's rules and print every broken rule; publish nothing" };
        var command = new Command("publish", "Validate the commands of a JSON file with the consumer's own rules, publish them in order, and print each outcome as it arrives")
        {
            file, timeout, noWait, dryRun,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            console.Json = parse.GetValue(json);
            return RunAsync(console, parse.GetValue(file)!, CliOptions.BrokerOf(parse, broker), parse.GetValue(timeout), !parse.GetValue(noWait), parse.GetValue(dryRun), cancellationToken);
        });
        return command;
    }

    static async Task<int> RunAsync(CliConsole console, FileInfo file, Uri broker, TimeSpan timeout, bool wait, bool dryRun, CancellationToken cancellationToken)
    {
        var items = await ReadAsync(file, cancellationToken).ConfigureAwait(false);
        var broken = 0;
        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            var errors = MemberRules.ValidateAny(item.Command);
            if (errors.Count > 0)
                broken++;
            foreach (var error in errors)
            {
                console.Fail($"{file.Name}: item {index} ({item.Type.Name} '{item.UserId}'): {error.Field}: {error.Message}");
                console.JsonLine(new { @event = "invalid", item = index, type = item.Type.Name, userId = item.UserId, field = error.Field, message = error.Message });
            }
        }
        if (broken > 0)
            throw new CliException($"{broken} of {items.Count} command(s) in {file.Name} break the consumer's rules (listed above); nothing was published");
        if (dryRun)
        {
            console.Line($"All {items.Count} command(s) in {file.Name} are valid; nothing was published (--dry-run).");
            console.JsonLine(new { @event = "valid", commands = items.Count });
            return ExitCodes.Ok;
        }
        if (items.Count == 0)
        {
            console.Warn($"{file.Name} holds no commands: nothing to publish");
            return ExitCodes.Ok;
        }

        var outcomesHeader = 0;
        var run = new CommandRun
        {
            Broker = broker,
            Timeout = timeout,
            Wait = wait,
            Warn = console.Warn,
            Starting = () => console.Line($"Publishing {items.Count} command(s) from {file.Name} to {BrokerAddress.Safe(broker)}…"),
            Published = item =>
            {
                console.Line($"  → {item.Type.Name,-14} {item.UserId,-20} request {item.RequestId}");
                console.JsonLine(new { @event = "published", type = item.Type.Name, userId = item.UserId, requestId = item.RequestId });
            },
            Arrived = (_, outcome) =>
            {
                if (Interlocked.Exchange(ref outcomesHeader, 1) == 0)
                    console.Line("Outcomes:");
                console.Line(outcome.Line);
                console.JsonLine(new { @event = "outcome", outcome.RequestId, type = outcome.Event, outcome.UserId, outcome.Succeeded, outcome.Reason, outcome.ErrCode, outcome.Message, outcome.Attempts });
            },
        };
        var result = await run.ExecuteAsync(items, cancellationToken).ConfigureAwait(false);
        if (!wait)
        {
            console.Line($"Published {items.Count} command(s); not waiting for their outcomes (--no-wait).");
            return ExitCodes.Ok;
        }
        return Summarize(console, result, items.Count, timeout);
    }

    /// <summary>Reads and parses the file: every problem is a one-line usage error naming the file and the item.</summary>
    static async Task<IReadOnlyList<MemberCommandFile.Item>> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read '{file}': {ex.Message}");
        }
        try
        {
            var items = MemberCommandFile.Read(text);
            var twice = items.Select((item, index) => (item, index)).GroupBy(x => x.item.RequestId).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                var (first, second) = (twice.First().index, twice.Skip(1).First().index);
                throw new FormatException($"item {second} is the same command as item {first} (request id {twice.Key}): remove it, or give each its own requestId if it should apply twice");
            }
            return items;
        }
        catch (FormatException ex)
        {
            throw new CliException($"{file.Name}: {ex.Message}; nothing was published");
        }
    }

    static int Summarize(CliConsole console, CommandRun.Result result, int total, TimeSpan timeout)
    {
        var failed = result.Outcomes.Values.Count(o => !o.Succeeded);
        var succeeded = result.Outcomes.Count - failed;
        console.JsonLine(new { @event = "summary", published = total, succeeded, failed, pending = result.Pending.Count });
        if (!console.Json)
        {
            var table = new Table().AddColumns("outcome", "commands");
            foreach (var group in result.Outcomes.Values.GroupBy(o => o.Succeeded ? o.Event : $"{o.Event} ({o.Reason})").OrderBy(g => g.Key, StringComparer.Ordinal))
                table.AddRow(Markup.Escape(group.Key), group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (result.Pending.Count > 0)
                table.AddRow("no outcome yet", result.Pending.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            console.Ansi.Write(table);
        }
        if (result.TimedOut)
        {
            console.Fail($"timed out after {timeout.TotalSeconds:0} s: no outcome yet for {string.Join(", ", result.Pending.Select(c => c.UserId))}; " +
                "they are queued, not lost: publish the file again to hear their outcomes (same request ids), or wait with a longer --timeout");
            return ExitCodes.TimedOut;
        }
        return failed > 0 ? ExitCodes.SomeFailed : ExitCodes.Ok;
    }
}
