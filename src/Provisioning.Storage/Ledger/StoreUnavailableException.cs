namespace Provisioning.Storage;

/// <summary>
/// The idempotency store could not be used (database restarting, I/O error, time-out): a dependency failure like a
/// WeCom outage, retried in process and then parked, never the command's fault.
/// </summary>
public sealed class StoreUnavailableException(string operation, Exception inner)
    : Exception($"Idempotency store unavailable during {operation}: {inner.GetType().Name}: {inner.Message}", inner);
