using Provisioning.WeComSimulator;

var app = SimulatorApp.Create(args);
await app.RunAsync();
