using Npgsql;

namespace Provisioning.IntegrationTests.Infrastructure;

/// <summary>A fresh database on the test PostgreSQL (scripts/start-postgres.sh; override with PROVISIONING_TEST_POSTGRES).</summary>
internal sealed class TestPostgres : IAsyncDisposable
{
    public static readonly string DefaultServer = Environment.GetEnvironmentVariable("PROVISIONING_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=55432;Username=postgres";
    readonly string _server;
    readonly string _database;

    TestPostgres(string server, string database)
    {
        _server = server;
        _database = database;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ToString();
    }

    public string ConnectionString { get; }

    public static async Task<TestPostgres> CreateAsync(string? server = null)
    {
        server ??= DefaultServer;
        var database = "test_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ToString());
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException($"These tests need PostgreSQL ({server}). Start it with scripts/start-postgres.sh.", ex);
        }
        return new TestPostgres(server, database);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres" }.ToString());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
