namespace Provisioning.Consumer.Storage;

/// <summary>
/// What one store deletes when the purge runs: everything past its own retention, counted from <c>now</c>. Each store's
/// registration adds one (the request ledger, the provisioning log); <see cref="StoragePurgeService"/> runs them all.
/// </summary>
internal sealed record StorePurge(string Store, Func<DateTimeOffset, CancellationToken, Task<int>> PurgeAsync);
