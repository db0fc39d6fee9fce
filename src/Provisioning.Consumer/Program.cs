using Provisioning.Consumer;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddProvisioningConsumer();
var app = builder.Build();
app.MapProvisioningHealth();
await app.RunAsync().ConfigureAwait(false);
