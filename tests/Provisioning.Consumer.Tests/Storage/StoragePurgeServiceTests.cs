using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Consumer.Storage;
using Provisioning.Storage;

namespace Provisioning.Consumer.Tests.Storage;

public sealed class StoragePurgeServiceTests
{
    [Fact]
    public async Task Service_EveryInterval_PurgesEveryStore_AFailedStoreDoesNotStopTheOthers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        var ledger = new ConcurrentQueue<DateTimeOffset>();
        var log = new ConcurrentQueue<DateTimeOffset>();
        StorePurge[] purges =
        [
            // The ledger's first round fails (a busy database): the log is purged all the same, and the ledger next round.
            new("request ledger", (now, _) =>
            {
                ledger.Enqueue(now - TimeSpan.FromDays(30));
                return ledger.Count == 1 ? throw new TimeoutException("database busy") : Task.FromResult(3);
            }),
            new("provisioning log", (now, _) =>
            {
                log.Enqueue(now - TimeSpan.FromDays(90));
                return Task.FromResult(1);
            }),
        ];
        var options = Options.Create(new IdempotencyOptions { CleanupInterval = TimeSpan.FromHours(1) });
        using var service = new StoragePurgeService(purges, options, time, NullLogger<StoragePurgeService>.Instance);

        await service.StartAsync(default);
        await Until(() => !log.IsEmpty);
        time.Advance(TimeSpan.FromHours(1));
        await Until(() => ledger.Count >= 2 && log.Count >= 2);
        await service.StopAsync(default);

        Assert.Equal([new DateTimeOffset(2026, 10, 25, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 25, 9, 0, 0, TimeSpan.Zero)], ledger.ToArray());
        Assert.Equal([new DateTimeOffset(2026, 8, 26, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 8, 26, 9, 0, 0, TimeSpan.Zero)], log.ToArray());
    }

    [Fact]
    public void LegacySettings_OldNameInALaterSource_BeatsTheNewNamesShippedDefault_WithAWarningEach()
    {
        // As shipped: appsettings.json sets the new names' defaults; an operator's environment still uses the old ones.
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:SqlitePath"] = "data/idempotency.db",
            ["Storage:LeaseDuration"] = "00:02:00",
        });
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Idempotency:Provider"] = "Postgres",
            ["Idempotency:SqlitePath"] = "/data/old.db",
            ["RequestLog:Enabled"] = "false",
        });
        // The operator's newest source names the new one too: that wins over the old name beside it.
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:LeaseDuration"] = "00:01:00", ["Idempotency:LeaseDuration"] = "00:00:30" });

        var warnings = LegacyStorageSettings.Apply(configuration);
        var ledger = configuration.GetSection(IdempotencyOptions.SectionName).Get<IdempotencyOptions>()!;
        var log = configuration.GetSection(Provisioning.Storage.RequestLog.RequestLogOptions.SectionName).Get<Provisioning.Storage.RequestLog.RequestLogOptions>()!;

        Assert.Equal(IdempotencyProvider.Postgres, ledger.Provider);
        Assert.Equal("/data/old.db", ledger.SqlitePath);
        Assert.Equal(TimeSpan.FromMinutes(1), ledger.LeaseDuration);
        Assert.False(log.Enabled);
        Assert.Equal(4, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("Idempotency:Provider (or Idempotency__Provider) is now Storage:Provider", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Idempotency:SqlitePath (or Idempotency__SqlitePath) is now Storage:SqlitePath", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Idempotency:LeaseDuration (or Idempotency__LeaseDuration) is ignored: Storage:LeaseDuration is set", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("RequestLog:Enabled (or RequestLog__Enabled) is now Storage:RequestLog:Enabled", StringComparison.Ordinal));
    }

    static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
