using MassTransit;

namespace Provisioning.Benchmark;

/// <summary>Keeps a comparison consumer's bus running until the process is told to stop.</summary>
internal static class ProcessHost
{
    public static async Task<int> RunUntilExitAsync(IBusControl bus)
    {
        await bus.StartAsync().ConfigureAwait(false);
        var stop = new TaskCompletionSource();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
        Console.CancelKeyPress += (_, _) => stop.TrySetResult();
        await stop.Task.ConfigureAwait(false);
        await bus.StopAsync().ConfigureAwait(false);
        return 0;
    }
}
