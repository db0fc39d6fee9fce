using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests;

/// <summary>Tokens that WeCom expires (42001) or revokes (40014) early are refreshed once and the create goes through.</summary>
public sealed class TokenRefreshTests(ProvisioningSystem system) : IClassFixture<ProvisioningSystem>
{
    [Fact]
    public async Task ExpiredThenRevokedToken_IsRefreshedOnceEachAndEveryCreateSucceeds()
    {
        var first = ProvisioningSystem.NewCommand("token");
        await system.Publisher.PublishAsync(first);
        await system.Outcomes.CreatedFor(first.RequestId);
        var tokensBefore = (await system.Simulator.LedgerAsync()).GetTokenCalls;

        await system.Simulator.ExpireTokensAsync();
        var second = ProvisioningSystem.NewCommand("token");
        await system.Publisher.PublishAsync(second);
        var afterExpiry = await system.Outcomes.CreatedFor(second.RequestId);

        await system.Simulator.RevokeTokensAsync();
        var third = ProvisioningSystem.NewCommand("token");
        await system.Publisher.PublishAsync(third);
        var afterRevocation = await system.Outcomes.CreatedFor(third.RequestId);

        var ledger = await system.Simulator.LedgerAsync();
        Assert.Equal(tokensBefore + 2, ledger.GetTokenCalls);
        // The simulator counts a create once its token is accepted: one each, so nothing was created twice.
        Assert.Equal(1, ledger.CallsFor(second.UserId));
        Assert.Equal(1, ledger.CallsFor(third.UserId));
        Assert.Equal(1, afterExpiry.Attempts);
        Assert.Equal(1, afterRevocation.Attempts);
    }
}
