using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Storage;

namespace Provisioning.IntegrationTests.Ledger;

/// <summary>The SQLite store's write-ahead log under steady writes, against a real file.</summary>
public sealed class SqliteWalBoundTests : IAsyncLifetime
{
    const int Commands = 4_000;
    const int Streams = 8;
    const long Bound = 1024 * 1024;

    readonly string _path = Path.Combine(Path.GetTempPath(), $"idempotency-wal-{Guid.NewGuid():N}", "store.db");
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    readonly object _gate = new();
    SqliteRequestLedger _store = null!;
    long _peak;
    long _last;
    int _shrinks;

    public Task InitializeAsync()
    {
        _store = new SqliteRequestLedger(Options.Create(new IdempotencyOptions { SqlitePath = _path, SqliteWalMegabytes = 1 }), _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task SteadyClaimsAndCompletes_KeepTheWalUnderItsBoundAndCutItBack()
    {
        // Issue 19: under steady load the WAL grew by about 5.7 KB a command for ever (353 MB after 61,643 commands).
        // Several streams at once, as a consumer's deliveries, so the writer never idles; the background checkpoint runs
        // every 500 commands, and never catches up by itself.
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < Commands / Streams; i++)
            {
                var key = new IdempotencyKey("ww1", Guid.NewGuid());
                var revision = new MemberRevision(1, null);
                await _store.TryBeginAsync(key, $"u{key.RequestId:N}", revision, "a", TimeSpan.FromSeconds(30), default);
                Assert.True(await _store.CompleteAsync(key, "a", succeeded: true, new StoredOutcome("MemberCreated", $$"""{"requestId":"{{key.RequestId}}"}"""), revision, default));
                if (Interlocked.Increment(ref done) % 500 == 0)
                    _time.Advance(TimeSpan.FromSeconds(1));
                Sample();
            }
        })));

        // Cut back at least three times: the WAL passed its bound again and again, and each time started afresh. It
        // overshoots by what the writer appends while the background checkpoint holds the checkpoint lock (its fsync):
        // here, at over 1,000 commands a second, up to 1.5 MB; at production rates a few KB. Before: over 20 MB.
        Assert.True(_peak < 4 * Bound, $"WAL peaked at {_peak} bytes, bound {Bound}");
        Assert.True(_shrinks >= 3, $"WAL cut back {_shrinks} time(s)");
    }

    void Sample()
    {
        var wal = new FileInfo(_path + "-wal");
        var length = wal.Exists ? wal.Length : 0;
        lock (_gate)
        {
            if (length < _last)
                _shrinks++;

            _last = length;
            _peak = Math.Max(_peak, length);
        }
    }
}
