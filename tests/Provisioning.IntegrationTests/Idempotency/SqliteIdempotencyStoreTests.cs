using Microsoft.Extensions.Options;
using Provisioning.Consumer.Idempotency;

namespace Provisioning.IntegrationTests.Idempotency;

/// <summary>The store contract against a real SQLite file.</summary>
public sealed class SqliteIdempotencyStoreTests : IdempotencyStoreContract
{
    readonly string _path = Path.Combine(Path.GetTempPath(), $"idempotency-{Guid.NewGuid():N}", "store.db");

    SqliteIdempotencyStore _store = null!;

    protected override Task<IIdempotencyStore> CreateStoreAsync() =>
        Task.FromResult<IIdempotencyStore>(_store = new SqliteIdempotencyStore(Options.Create(new IdempotencyOptions { SqlitePath = _path }), Time));

    protected override async Task DisposeStoreAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}
