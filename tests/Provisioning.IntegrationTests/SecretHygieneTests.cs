using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests;

/// <summary>The secret and access tokens never reach a log line (at any level) or an event; mobiles are not logged in clear.</summary>
public sealed class SecretHygieneTests(ProvisioningSystem system) : IClassFixture<ProvisioningSystem>
{
    [Fact]
    public async Task FullRun_WithTokenRefreshAndRejection_LeaksNoSecretTokenOrMobile()
    {
        var ok = ProvisioningSystem.NewCommand("hygiene");
        await system.Publisher.PublishAsync(ok);
        await system.Outcomes.CreatedFor(ok.RequestId);
        await system.Simulator.RevokeTokensAsync();
        var conflict = ProvisioningSystem.NewCommand("hygiene") with { Mobile = ok.Mobile };
        await system.Publisher.PublishAsync(conflict);
        await system.Outcomes.FailedFor(conflict.RequestId);

        var logs = system.Consumer.Logs.All();
        var events = string.Join('\n', system.Outcomes.Raw);
        Assert.Contains(ok.UserId, logs, StringComparison.Ordinal);
        foreach (var text in new[] { logs, events })
        {
            Assert.DoesNotContain(system.Simulator.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("access_token=", text, StringComparison.Ordinal);
            Assert.DoesNotContain("corpsecret", text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain(ok.Mobile!, logs, StringComparison.Ordinal);
    }
}
