using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Provisioning.Storage.RequestLog;

/// <summary>
/// The provisioning log's tables, in SQLite or PostgreSQL with the same SQL: times are Unix milliseconds (BIGINT) and
/// ids text in both, so only the schema's auto-increment differs. A request is one row, updated as it goes; each step
/// is a row of its own; the audit log sits beside them.
/// </summary>
internal sealed partial class RequestLogStore : IAsyncDisposable
{
    readonly Func<DbConnection> _connect;
    readonly bool _postgres;
    readonly SemaphoreSlim _schemaGate = new(1, 1);
    volatile bool _schemaReady;

    readonly IAsyncDisposable? _dataSource;

    RequestLogStore(Func<DbConnection> connect, bool postgres, IAsyncDisposable? dataSource = null)
    {
        _connect = connect;
        _postgres = postgres;
        _dataSource = dataSource;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        _schemaGate.Dispose();
    }

    public static RequestLogStore Sqlite(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = full, DefaultTimeout = 30 }.ToString();
        return new RequestLogStore(() => new SqliteConnection(connectionString), postgres: false);
    }

    public static RequestLogStore Postgres(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        return new RequestLogStore(dataSource.CreateConnection, postgres: true, dataSource);
    }

    async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _connect();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_schemaReady)
                await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether the store answers (for readiness).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, "SELECT 1");
        await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Typed even when null: PostgreSQL must know a parameter's type in "@x IS NULL OR …" and for a NULL into a BIGINT.
    static void Add(DbCommand command, string name, string? value) => Add(command, name, value, DbType.String);

    static void Add(DbCommand command, string name, long? value) => Add(command, name, value, DbType.Int64);

    static void Add(DbCommand command, string name, int? value) => Add(command, name, value, DbType.Int32);

    static void Add(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
