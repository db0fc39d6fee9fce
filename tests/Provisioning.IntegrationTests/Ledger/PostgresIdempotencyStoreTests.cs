using Microsoft.Extensions.Options;
using Npgsql;
using Provisioning.Storage;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Ledger;

/// <summary>The store contract against a real PostgreSQL database.</summary>
public sealed class PostgresIdempotencyStoreTests : IdempotencyStoreContract
{
    TestPostgres _database = null!;
    PostgresRequestLedger _store = null!;

    protected override async Task<IRequestLedger> CreateStoreAsync()
    {
        _database = await TestPostgres.CreateAsync();
        _store = new PostgresRequestLedger(Options.Create(new IdempotencyOptions
        {
            Provider = IdempotencyProvider.Postgres,
            ConnectionString = _database.ConnectionString,
        }), Time);
        return _store;
    }

    protected override async Task DisposeStoreAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Open_SchemaFromBeforeVersionsPerAspect_KeepsItsVersionForBothAspects()
    {
        // A schema written by the previous release: one last_version per member. Created before the store first runs.
        await using (var dataSource = NpgsqlDataSource.Create(_database.ConnectionString))
        await using (var create = dataSource.CreateCommand("""
            CREATE TABLE provisioning_member_revisions (corp_id text NOT NULL, member text NOT NULL, last_version bigint,
                state_sent_at timestamptz, profile_sent_at timestamptz, PRIMARY KEY (corp_id, member));
            INSERT INTO provisioning_member_revisions (corp_id, member, last_version) VALUES ('ww1', 'zhangsan', 7);
            """))
            await create.ExecuteNonQueryAsync();

        var claim = await _store.TryBeginAsync(new IdempotencyKey("ww1", Guid.NewGuid()), "ZhangSan", new MemberRevision(5, null), "a", TimeSpan.FromSeconds(30), default);

        Assert.Equal((7L, 7L), (claim.Applied!.StateVersion, claim.Applied.ProfileVersion));
    }
}
