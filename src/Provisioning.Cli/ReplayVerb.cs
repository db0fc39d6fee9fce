using System.CommandLine;
using Provisioning.Contracts;
using Provisioning.Rules;

namespace Provisioning.Cli;

/// <summary><c>replay</c> and <c>held list|release|reject</c>: move dead letters, or commands the deletion guard holds, back to their queue.</summary>
internal static class ReplayVerb
{
    /// <summary>The input queues whose commands the deletion guard can hold.</summary>
    static readonly string[] GuardedQueues = [.. CommandCatalogue.All.Where(command => command.MayRemove).Select(command => command.Queue)];

    /// <summary>The filters both verbs take.</summary>
    sealed record Filters(Option<bool> All, Option<Guid[]> RequestIds, Option<string[]> UserIds, Option<TimeSpan> OlderThan, Option<string> Queue)
    {
        public static Filters Create(string queueDescription) => new(
            new Option<bool>("--all") { Description = "Every message (a filter or --all is needed, so that nothing moves by accident)" },
            CliOptions.RequestIds(),
            CliOptions.UserIds(),
            CliOptions.Duration("--older-than", "Only messages that failed (or were held) at least this long ago: 10m, 2h, 1d, 00:30:00"),
            new Option<string>("--queue") { Description = queueDescription, HelpName = "QUEUE" });

        public IEnumerable<Option> Options => [All, RequestIds, UserIds, OlderThan, Queue];

        public ReplayOptions Read(ParseResult parse, Uri broker) => new()
        {
            Broker = broker,
            All = parse.GetValue(All),
            RequestIds = [.. parse.GetValue(RequestIds) ?? []],
            UserIds = new(parse.GetValue(UserIds) ?? [], StringComparer.OrdinalIgnoreCase),
            OlderThan = parse.GetResult(OlderThan) is null ? null : parse.GetValue(OlderThan),
            Queue = parse.GetValue(Queue) ?? CommandQueueNames.Queue(typeof(CreateMember)),
        };

        /// <summary>A mover must be told what to move: --all, or a filter.</summary>
        public void RequireSome(Command command, params Option[] more) =>
            command.Validators.Add(result =>
            {
                if (!Options.Where(o => o != Queue).Concat(more).Any(o => result.GetResult(o) is not null))
                    result.AddError($"{command.Name} needs --all or a filter (--request-id, --user-id, --older-than{(more.Length > 0 ? ", --errcode" : "")}), so that nothing is moved by accident");
            });
    }

    public static Command Replay(CliConsole console, Option<Uri> broker, Option<bool> json)
    {
        var filters = Filters.Create("The input queue whose error queue ({queue}_error) is replayed [default: create-member]");
        var errCodes = CliOptions.ErrCodes();
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would move; move nothing" };
        var rate = CliOptions.Rate();
        var command = new Command("replay", "Move messages from {queue}_error back to {queue}, each confirmed before its original is removed") { dryRun, rate, errCodes };
        foreach (var option in filters.Options)
            command.Options.Add(option);
        filters.RequireSome(command, errCodes);
        command.SetAction((parse, cancellationToken) =>
        {
            console.Json = parse.GetValue(json);
            var options = filters.Read(parse, CliOptions.BrokerOf(parse, broker)) with { DryRun = parse.GetValue(dryRun), Rate = parse.GetValue(rate) };
            foreach (var code in parse.GetValue(errCodes) ?? [])
                options.ErrCodes.Add(code);
            return ReplayRun.RunAsync(options, console, cancellationToken);
        });
        return command;
    }

    public static Command Held(CliConsole console, Option<Uri> broker, Option<bool> json)
    {
        var held = new Command("held", "The disables and deletes the deletion guard holds ({queue}_held of disable-member, delete-member, update-member and sync-member)");
        held.Subcommands.Add(HeldAction("list", "Show them (all, or those the filters pick)", null, requireFilter: false));
        held.Subcommands.Add(HeldAction("release", "Apply them anyway: each goes back to its input queue, past the guard", Contracts.ProvisioningHeaders.GuardReleased, requireFilter: true));
        held.Subcommands.Add(HeldAction("reject", "Fail them as NotAllowed: each goes back to its input queue and ends with that outcome", Contracts.ProvisioningHeaders.GuardRejected, requireFilter: true));
        return held;

        Command HeldAction(string name, string description, string? decision, bool requireFilter)
        {
            var filters = Filters.Create("Only this input queue's held commands [default: all four]");
            var command = new Command(name, description);
            foreach (var option in filters.Options)
                command.Options.Add(option);
            if (requireFilter)
                filters.RequireSome(command);
            command.SetAction(async (parse, cancellationToken) =>
            {
                console.Json = parse.GetValue(json);
                var options = filters.Read(parse, CliOptions.BrokerOf(parse, broker)) with { SourceSuffix = "_held", GuardDecision = decision };
                if (decision is null)
                    options = options with { DryRun = true, All = options.All || !options.HasFilter };
                string[] queues = parse.GetValue(filters.Queue) is { } only ? [only] : GuardedQueues;
                foreach (var queue in queues)
                {
                    var status = await ReplayRun.RunAsync(options with { Queue = queue }, console, cancellationToken).ConfigureAwait(false);
                    if (status != ExitCodes.Ok)
                        return status;
                }
                return ExitCodes.Ok;
            });
            return command;
        }
    }
}
