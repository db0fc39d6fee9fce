using Microsoft.Extensions.Options;
using Provisioning.Consumer.Idempotency;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Idempotency;

/// <summary>The store contract against a real PostgreSQL database.</summary>
public sealed class PostgresIdempotencyStoreTests : IdempotencyStoreContract
{
    TestPostgres _database = null!;
    PostgresIdempotencyStore _store = null!;

    protected override async Task<IIdempotencyStore> CreateStoreAsync()
    {
        _database = await TestPostgres.CreateAsync();
        _store = new PostgresIdempotencyStore(Options.Create(new IdempotencyOptions
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
}
