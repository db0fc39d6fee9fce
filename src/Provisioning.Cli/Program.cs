using Provisioning.Cli;

return await CliApp.RunAsync(args, Console.Out, CancellationToken.None).ConfigureAwait(false);
