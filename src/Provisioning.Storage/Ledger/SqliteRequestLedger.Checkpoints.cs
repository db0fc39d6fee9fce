using Microsoft.Data.Sqlite;

namespace Provisioning.Storage;

internal sealed partial class SqliteRequestLedger
{
    static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Copies the WAL into the database once a second when there were writes, on a connection of its own: a PASSIVE
    /// checkpoint never blocks the writer. Under steady writes it never copies everything, so the WAL never starts afresh
    /// by itself: the writer finishes the job between two groups once the WAL passes its bound (<see cref="SqliteWalBound"/>).
    /// </summary>
    async Task CheckpointLoopAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(CheckpointInterval, _time, _stopping.Token).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _writesSinceCheckpoint, 0) == 0)
                    continue;
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(_connectionString);
                        await connection.OpenAsync(_stopping.Token).ConfigureAwait(false);
                    }
                    await ExecuteAsync(connection, "PRAGMA wal_checkpoint(PASSIVE)").ConfigureAwait(false);
                }
                catch (SqliteException)
                {
                    // The next round tries again on a fresh connection; meanwhile the WAL only grows.
                    Interlocked.Increment(ref _writesSinceCheckpoint);
                    if (connection is not null)
                        await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
                await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
