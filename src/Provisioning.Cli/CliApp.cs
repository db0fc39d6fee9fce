using System.CommandLine;

namespace Provisioning.Cli;

/// <summary>
/// The verbs (System.CommandLine) and the one place errors become a line on stderr and an exit code (<see cref="ExitCodes"/>):
/// whatever a user types, they get a sentence, never a stack trace.
/// </summary>
internal static class CliApp
{
    /// <summary>For tests and callers that read one stream: results and errors on the same writer.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(args, output, output, interactive: false, cancellationToken);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        var console = new CliConsole(output, error, interactive);
        var broker = CliOptions.Broker();
        var json = CliOptions.Json();
        var root = new RootCommand("""
            provisioning-cli: publish member commands to the WeCom provisioning service, import members from CSV/XLSX,
            move dead letters or held commands back, and tell what happened to a request or a person. Exit codes: 0 done;
            1 some command failed or some row was invalid (status: not found, or failed); 2 wrong command line or input,
            nothing published; 3 outcomes still missing at --timeout; 4 broker (status: the consumer's API) unusable or
            nothing would receive the commands, nothing published; 130 interrupted.
            """)
        {
            broker,
            json,
            PublishVerb.Create(console, broker, json),
            ImportVerb.Create(console, broker, json),
            ReplayVerb.Replay(console, broker, json),
            ReplayVerb.Held(console, broker, json),
            StatusVerb.Create(console, json),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            var verb = string.Join(' ', command == root ? [] : Path(parse.CommandResult));
            // An unknown word says more than the missing command it leaves behind.
            var first = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            var message = first.Message.StartsWith("Required command was not provided", StringComparison.Ordinal)
                ? $"say which: {string.Join(", ", command.Subcommands.Select(c => c.Name))}"
                : System.Text.RegularExpressions.Regex.Replace(first.Message, @"\s*\n\s*", " ").TrimEnd('.');
            console.Fail($"{(verb.Length > 0 ? verb + ": " : "")}{message}. See 'provisioning-cli {(verb.Length > 0 ? verb + " " : "")}--help'.");
            return ExitCodes.Usage;
        }

        var uri = parse.GetValue(broker) ?? BrokerAddress.Default(out _);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            console.Fail(ex.Message);
            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            console.Fail("interrupted; what was published stays queued (an import resumes from its report when run again)");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (uri is not null && BrokerFailure.Describe(ex, uri) is { } reason)
        {
            console.Fail(reason);
            return ExitCodes.Broker;
        }
        catch (Exception ex)
        {
            // A defect of ours, not the user's input: still one line, and an exit code of its own.
            console.Fail($"unexpected {ex.GetType().Name}: {ex.Message} (a defect: please report it with the command line)");
            return ExitCodes.Internal;
        }
    }

    static Stack<string> Path(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r?.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
            names.Push(r.Command.Name);
        return names;
    }
}
