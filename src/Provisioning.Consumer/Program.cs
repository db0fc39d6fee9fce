using Provisioning.Consumer;

var builder = Host.CreateApplicationBuilder(args);
builder.AddProvisioningConsumer();
await builder.Build().RunAsync().ConfigureAwait(false);
