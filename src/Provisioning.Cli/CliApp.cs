namespace Provisioning.Cli;

/// <summary>Verb dispatch and usage. Exit codes: 0 every member created, 1 some outcome was a failure, 2 usage, 3 timed out.</summary>
internal static class CliApp
{
    const string Usage = """
        provisioning-cli publish FILE [--broker AMQP_URI] [--timeout SECONDS] [--no-wait]
          Publishes every CreateMember in FILE (a JSON array, camelCase, as in samples/create-members.json) and prints
          each outcome as it arrives. A command without requestId gets a new one. Waits for all outcomes unless --no-wait.
          The broker defaults to $ConnectionStrings__RabbitMq, then amqp://guest:guest@127.0.0.1:5672/.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Length < 2 || args[0] != "publish")
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var options = new PublishOptions { File = args[1] };
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--broker" when i + 1 < args.Length:
                    options = options with { Broker = new Uri(args[++i]) };
                    break;
                case "--timeout" when i + 1 < args.Length && int.TryParse(args[i + 1], out var seconds):
                    options = options with { Timeout = TimeSpan.FromSeconds(seconds) };
                    i++;
                    break;
                case "--no-wait":
                    options = options with { Wait = false };
                    break;
                default:
                    await output.WriteLineAsync($"Unknown option '{args[i]}'.\n{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        return await PublishCommand.RunAsync(options, output, cancellationToken).ConfigureAwait(false);
    }
}
