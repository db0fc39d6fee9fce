using System.Globalization;

namespace Provisioning.Cli;

/// <summary>Verb dispatch and usage. Exit codes: 0 done, 1 some outcome was a failure, 2 usage, 3 timed out.</summary>
internal static class CliApp
{
    const string Usage = """
        provisioning-cli publish FILE [--broker AMQP_URI] [--timeout SECONDS] [--no-wait]
          Publishes every command in FILE (a JSON array, camelCase, each item with a "type": CreateMember (the default),
          UpdateMember, DisableMember, EnableMember, DeleteMember or SyncMember, as in samples/) and prints
          each outcome as it arrives. A command without requestId gets one derived from its type, enterprise and content,
          so publishing the same file again is idempotent. A property a command does not have is an error (naming it,
          and the command's name for a WeCom one such as department), and nothing is published. Waits for all outcomes
          unless --no-wait.
          Exit code 0: every member created; 1: some outcome was a failure; 3: timed out.

        provisioning-cli replay (--all | FILTER...) [--dry-run] [--queue create-member] [--rate PER_SECOND] [--broker AMQP_URI]
          Moves messages from create-member_error back to create-member, each confirmed before its original is removed.
          FILTER: --request-id GUID, --user-id USERID, --errcode CODE (each repeatable), --older-than 10m|2h|1d|00:30:00.
          --dry-run lists what would move and moves nothing.

        provisioning-cli held (list | release | reject) (--all | FILTER...) [--queue disable-member] [--broker AMQP_URI]
          The disables and deletes the deletion guard holds (Lifecycle:DeletionThreshold), in {queue}_held of disable-member,
          delete-member, update-member and sync-member (or only --queue). list shows them; release applies them anyway;
          reject fails them as NotAllowed. Each goes back to its input queue, confirmed before its original is removed.
          FILTER: --request-id GUID, --user-id USERID (each repeatable), --older-than 10m|2h|1d|00:30:00.

        The broker defaults to $ConnectionStrings__RabbitMq, then amqp://guest:guest@127.0.0.1:5672/.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            return args switch
            {
                ["publish", var file, .. var rest] => await PublishCommand.RunAsync(ParsePublish(file, rest), output, cancellationToken).ConfigureAwait(false),
                ["replay", .. var rest] when ParseReplay(rest) is { } replay => await ReplayCommand.RunAsync(replay, output, cancellationToken).ConfigureAwait(false),
                ["held", var action, .. var rest] => await HeldAsync(action, rest, output, cancellationToken).ConfigureAwait(false),
                _ => await UsageAsync(output, null).ConfigureAwait(false),
            };
        }
        catch (ArgumentException ex)
        {
            return await UsageAsync(output, ex.Message).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            // A command file that cannot be read as commands: one line naming the item and the problem, nothing published.
            await output.WriteLineAsync($"provisioning-cli: {ex.Message}; nothing was published").ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"provisioning-cli: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    static async Task<int> UsageAsync(TextWriter output, string? error)
    {
        if (error is not null)
            await output.WriteLineAsync(error).ConfigureAwait(false);
        await output.WriteLineAsync(Usage).ConfigureAwait(false);
        return 2;
    }

    static PublishOptions ParsePublish(string file, string[] args)
    {
        var options = new PublishOptions { File = file };
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--broker" => options with { Broker = new Uri(Value(args, ref i)) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(int.Parse(Value(args, ref i), CultureInfo.InvariantCulture)) },
                "--no-wait" => options with { Wait = false },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        return options;
    }

    static ReplayOptions? ParseReplay(string[] args, bool requireFilter = true)
    {
        var options = new ReplayOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--broker": options = options with { Broker = new Uri(Value(args, ref i)) }; break;
                case "--queue": options = options with { Queue = Value(args, ref i) }; break;
                case "--dry-run": options = options with { DryRun = true }; break;
                case "--all": options = options with { All = true }; break;
                case "--rate": options = options with { Rate = double.Parse(Value(args, ref i), CultureInfo.InvariantCulture) }; break;
                case "--request-id": options.RequestIds.Add(Guid.Parse(Value(args, ref i))); break;
                case "--user-id": options.UserIds.Add(Value(args, ref i)); break;
                case "--errcode": options.ErrCodes.Add(int.Parse(Value(args, ref i), CultureInfo.InvariantCulture)); break;
                case "--older-than": options = options with { OlderThan = Duration(Value(args, ref i)) }; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (requireFilter && !options.All && !options.HasFilter)
            throw new ArgumentException("this needs --all or at least one filter, so that nothing is moved by accident.");
        return options;
    }

    /// <summary>The input queues whose commands the deletion guard can hold.</summary>
    static readonly string[] GuardedQueues = ["disable-member", "delete-member", "update-member", "sync-member"];

    static async Task<int> HeldAsync(string action, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ParseReplay(args, requireFilter: action != "list") ?? throw new ArgumentException("held needs options.");
        options = action switch
        {
            "list" => options with { DryRun = true, All = options.All || !options.HasFilter },
            "release" => options with { GuardDecision = Contracts.ProvisioningHeaders.GuardReleased },
            "reject" => options with { GuardDecision = Contracts.ProvisioningHeaders.GuardRejected },
            _ => throw new ArgumentException($"held {action}: use list, release or reject."),
        };
        var queues = args.Contains("--queue") ? [options.Queue] : GuardedQueues;
        foreach (var queue in queues)
        {
            var status = await ReplayCommand.RunAsync(options with { Queue = queue, SourceSuffix = "_held" }, output, cancellationToken).ConfigureAwait(false);
            if (status != 0)
                return status;
        }
        return 0;
    }

    static string Value(string[] args, ref int i) =>
        i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");

    static TimeSpan Duration(string text)
    {
        var unit = text[^1];
        if (char.IsLetter(unit) && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            return unit switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => throw new ArgumentException($"Unknown unit in '{text}': use s, m, h or d."),
            };
        }
        return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
    }
}
