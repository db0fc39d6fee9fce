using Provisioning.Cli;

return await CliApp.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, CancellationToken.None).ConfigureAwait(false);
