namespace Provisioning.Storage;

/// <summary>
/// The deletion guard's counter: how many disables and deletes each enterprise had admitted lately, over every replica.
/// Kept in the ledger's database (the same connection, file or schema), apart from the requests it counts.
/// </summary>
public interface IRemovalCounter
{
    /// <summary>
    /// The deletion guard's count, per enterprise over every replica: admits the removal (a disable or delete) of
    /// <paramref name="key"/> when fewer than <paramref name="threshold"/> were admitted in the last
    /// <paramref name="window"/>, or when <paramref name="force"/> (an operator released it); a request admitted once is
    /// admitted again (its retries). Returns whether it is admitted.
    /// </summary>
    Task<bool> TryAdmitRemovalAsync(IdempotencyKey key, int threshold, TimeSpan window, bool force, CancellationToken cancellationToken);
}
