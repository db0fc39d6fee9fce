using Provisioning.Consumer;
using Provisioning.Consumer.Operator;
using Provisioning.Consumer.Storage;

WebApplicationBuilder? builder = null;
try
{
    builder = WebApplication.CreateSlimBuilder(args);
    builder.AddProvisioningConsumer();
    builder.AddOperatorConsole();
    var app = builder.Build();
    app.MapProvisioningHealth();
    app.MapOperatorConsole();
    await app.StartAsync().ConfigureAwait(false);
    await app.WaitForShutdownAsync().ConfigureAwait(false);
    await app.DisposeAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    // A wrong setting is the usual cause: one line that names it, and exit code 1 (not an unhandled exception).
    await Console.Error.WriteLineAsync($"provisioning-consumer: start-up failed: {StartupFailure.Describe(ex)}{LegacyStorageSettings.NoteFor(builder)}").ConfigureAwait(false);
    return 1;
}
