using System.Diagnostics;
using System.Text.Json;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Deployment;

/// <summary>
/// A subscriber outside .NET: docs/subscribers/consume_outcomes.py (Python, pika; scripts/install-python-pika.sh)
/// binds its own queue to the base outcome exchanges and reads the envelope as the README documents it.
/// </summary>
public sealed class PythonSubscriberTests(ProvisioningSystem system) : IClassFixture<ProvisioningSystem>
{
    [Fact]
    public async Task ThePythonExample_ReceivesASuccessAndAFailure_FromTheEnvelope()
    {
        var script = Path.Combine(RepositoryPaths.Root, "docs", "subscribers", "consume_outcomes.py");
        var queue = $"python-outcomes-{Guid.NewGuid():N}";
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, system.Broker.AmqpUri.ToString(), queue, "2"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var lines = new List<string>();
        var errors = new System.Text.StringBuilder();
        python.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        python.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        python.BeginOutputReadLine();
        python.BeginErrorReadLine();
        try
        {
            await Wait.Until(() => Task.FromResult(python.HasExited || lines.Any(l => l.Contains("\"ready\"", StringComparison.Ordinal))), TimeSpan.FromSeconds(30),
                "the Python subscriber to bind its queue");
            Assert.False(python.HasExited, "python exited: " + errors);

            var created = ProvisioningSystem.NewCommand("python");
            var invalid = ProvisioningSystem.NewCommand("python") with { Gender = 9 };
            await system.Publisher.PublishAsync(created);
            await system.Outcomes.CreatedFor(created.RequestId);
            await system.Publisher.PublishAsync(invalid);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await python.WaitForExitAsync(timeout.Token);
            Assert.True(python.ExitCode == 0, errors.ToString());
            var outcomes = lines.Where(l => !l.Contains("\"ready\"", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(o => o.GetProperty("requestId").GetGuid());
            Assert.Equal("MemberCreated", outcomes[created.RequestId].GetProperty("outcome").GetString());
            Assert.Equal("MemberCreationFailed", outcomes[invalid.RequestId].GetProperty("outcome").GetString());
            Assert.Equal("Invalid", outcomes[invalid.RequestId].GetProperty("reason").GetString());
            Assert.Equal(invalid.UserId, outcomes[invalid.RequestId].GetProperty("userId").GetString());
        }
        finally
        {
            if (!python.HasExited)
                python.Kill();
        }
    }
}
