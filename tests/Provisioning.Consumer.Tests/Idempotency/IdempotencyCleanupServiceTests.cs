using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Storage;
using Provisioning.Consumer.Storage;

namespace Provisioning.Consumer.Tests.Idempotency;

public sealed class IdempotencyCleanupServiceTests
{
    sealed class RecordingStore : IRequestLedger
    {
        public ConcurrentQueue<DateTimeOffset> Purges { get; } = new();

        public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken)
        {
            Purges.Enqueue(endedBefore);
            return Task.FromResult(Purges.Count == 1 ? throw new TimeoutException("database busy") : 3);
        }

        public Task<IdempotencyClaim> TryBeginAsync(IdempotencyKey key, string userId, MemberRevision revision, string owner, TimeSpan lease, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> CompleteAsync(IdempotencyKey key, string owner, bool succeeded, StoredOutcome outcome, MemberRevision? applied, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> TryAdmitRemovalAsync(IdempotencyKey key, int threshold, TimeSpan window, bool force, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task ReleaseAsync(IdempotencyKey key, string owner, int extraAttempts, ReleaseAs release, TimeSpan waitLease, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Service_EveryInterval_PurgesWhatIsPastRetentionAndSurvivesAFailedRound()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        var store = new RecordingStore();
        var options = Options.Create(new IdempotencyOptions { Retention = TimeSpan.FromDays(30), CleanupInterval = TimeSpan.FromHours(1) });
        using var service = new IdempotencyCleanupService(store, options, time, NullLogger<IdempotencyCleanupService>.Instance);

        await service.StartAsync(default);
        await Until(() => !store.Purges.IsEmpty);
        time.Advance(TimeSpan.FromHours(1));
        await Until(() => store.Purges.Count >= 2);
        await service.StopAsync(default);

        Assert.Equal(
            [new DateTimeOffset(2026, 10, 25, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 25, 9, 0, 0, TimeSpan.Zero)],
            store.Purges.ToArray());
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
