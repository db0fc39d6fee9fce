using Provisioning.Storage;

namespace Provisioning.IntegrationTests.Ledger;

public abstract partial class IdempotencyStoreContract
{
    [Fact]
    public async Task TryAdmitRemoval_CountsPerEnterpriseInASlidingWindow()
    {
        var window = TimeSpan.FromHours(1);
        var admitted = new List<IdempotencyKey>();
        for (var i = 0; i < 3; i++)
        {
            var key = NewKey("ww-guard");
            Assert.True(await ((IRemovalCounter)Store).TryAdmitRemovalAsync(key, 3, window, force: false, default));
            admitted.Add(key);
            Time.Advance(TimeSpan.FromMinutes(10));
        }
        var fourth = NewKey("ww-guard");

        Assert.False(await ((IRemovalCounter)Store).TryAdmitRemovalAsync(fourth, 3, window, force: false, default));
        // A retry of one admitted is admitted again; another enterprise has its own count; an operator's release goes through.
        Assert.True(await ((IRemovalCounter)Store).TryAdmitRemovalAsync(admitted[0], 3, window, force: false, default));
        Assert.True(await ((IRemovalCounter)Store).TryAdmitRemovalAsync(NewKey("ww-other"), 3, window, force: false, default));
        Assert.True(await ((IRemovalCounter)Store).TryAdmitRemovalAsync(NewKey("ww-guard"), 3, window, force: true, default));

        // Admitted at 0, 10, 20 and (released) 30 minutes: at 70 the first two have left the window, one more fits, and only one.
        Time.Advance(TimeSpan.FromMinutes(40));
        Assert.True(await ((IRemovalCounter)Store).TryAdmitRemovalAsync(fourth, 3, window, force: false, default));
        Assert.False(await ((IRemovalCounter)Store).TryAdmitRemovalAsync(NewKey("ww-guard"), 3, window, force: false, default));
    }
}
