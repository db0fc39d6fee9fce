using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Provisioning.Storage;

namespace Provisioning.IntegrationTests.Ledger;

/// <summary>The store contract against a real SQLite file.</summary>
public sealed class SqliteIdempotencyStoreTests : IdempotencyStoreContract
{
    readonly string _path = Path.Combine(Path.GetTempPath(), $"idempotency-{Guid.NewGuid():N}", "store.db");

    SqliteRequestLedger _store = null!;

    protected override Task<IRequestLedger> CreateStoreAsync() =>
        Task.FromResult<IRequestLedger>(_store = new SqliteRequestLedger(Options.Create(new IdempotencyOptions { SqlitePath = _path }), Time));

    protected override async Task DisposeStoreAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task Open_FileFromBeforeVersionsPerAspect_KeepsItsVersionForBothAspects()
    {
        // A file written by the previous release: one last_version per member. Opened before the store first writes.
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using (var old = new SqliteConnection($"Data Source={_path};Pooling=false"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE member_revisions (corp_id TEXT NOT NULL, member TEXT NOT NULL, last_version INTEGER, state_sent_at INTEGER,
                    profile_sent_at INTEGER, PRIMARY KEY (corp_id, member));
                INSERT INTO member_revisions (corp_id, member, last_version) VALUES ('ww1', 'zhangsan', 7);
                """;
            await create.ExecuteNonQueryAsync();
        }

        var claim = await _store.TryBeginAsync(new IdempotencyKey("ww1", Guid.NewGuid()), "ZhangSan", new MemberRevision(5, null), "a", TimeSpan.FromSeconds(30), default);

        Assert.Equal((7L, 7L), (claim.Applied!.StateVersion, claim.Applied.ProfileVersion));
    }
}
