using Microsoft.Data.Sqlite;

namespace Provisioning.Storage;

/// <summary>
/// Keeps a SQLite write-ahead log under its bound while writes never stop. SQLite rewinds the log only when a write
/// begins after a checkpoint has copied every frame and no reader uses the log (https://sqlite.org/wal.html#ckpt); a
/// PASSIVE checkpoint beside a busy writer copies what was there when it began and is overtaken by new commits, so the
/// log grew for ever (issue 19: 353 MB after 61,643 commands). The writer calls <see cref="KeepAsync"/> between two
/// groups, when nothing new can be appended: once the file passes the bound, a PASSIVE checkpoint on the writer's own
/// connection copies the little the background checkpoint left, the next group rewinds the log, and
/// <c>journal_size_limit</c> (set to the same bound) cuts the file back at that group's commit.
/// </summary>
/// <remarks>
/// PASSIVE, not RESTART or TRUNCATE: those wait in the busy handler for other processes' readers and writers (up to
/// busy_timeout, 30 s) while this writer holds up every command. PASSIVE never waits: while the background checkpoint
/// runs it answers busy at once and is tried again after the next group; when a reader in another process holds frames
/// it cannot copy, it is tried again once the log has grown by another quarter of the bound.
/// </remarks>
internal sealed class SqliteWalBound(string databasePath, int megabytes)
{
    readonly string _walPath = databasePath + "-wal";

    /// <summary>The bound in bytes, also the file's <c>journal_size_limit</c>.</summary>
    public long Bytes { get; } = megabytes * 1024L * 1024L;

    // The file's size at the last checkpoint that left frames uncopied (0: none since the log last rewound).
    long _triedAt;

    /// <summary>
    /// Checkpoints on <paramref name="writer"/> when the log is past its bound and no write waits (<paramref name="idle"/>),
    /// or past twice its bound whatever waits; call it with no write in flight.
    /// </summary>
    public async Task KeepAsync(SqliteConnection writer, bool idle)
    {
        var length = Length();
        if (length <= Bytes)
        {
            _triedAt = 0;
            return;
        }
        if (!idle && length <= 2 * Bytes)
            return;
        if (_triedAt > 0 && length < _triedAt + Bytes / 4)
            return;
        try
        {
            await using var checkpoint = writer.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await using var result = await checkpoint.ExecuteReaderAsync().ConfigureAwait(false);
            // busy: the background checkpoint holds the checkpoint lock, and the next group tries again. Frames left
            // uncopied: a reader in another process holds them, and trying at every group would only add work.
            if (await result.ReadAsync().ConfigureAwait(false) && result.GetInt64(0) == 0 && result.GetInt64(2) < result.GetInt64(1))
                _triedAt = length;
        }
        catch (SqliteException)
        {
            // The writer's next write meets the same fault and replaces the connection; the log is bounded again after.
        }
    }

    long Length()
    {
        var wal = new FileInfo(_walPath);
        return wal.Exists ? wal.Length : 0;
    }
}
