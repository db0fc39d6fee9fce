using Provisioning.Benchmark;

return await BenchApp.RunAsync(args, Console.Out).ConfigureAwait(false);
