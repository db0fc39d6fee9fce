using System.ComponentModel.DataAnnotations;

namespace Provisioning.Storage.RequestLog;

/// <summary>Section <c>Storage:RequestLog</c> (formerly <c>RequestLog</c>): the provisioning log, what happened to every request (console and <c>/api</c>).</summary>
public sealed class RequestLogOptions : IValidatableObject
{
    public const string SectionName = "Storage:RequestLog";

    /// <summary>Whether requests are recorded at all.</summary>
    /// <value>The default is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Where: SQLite (one host) or PostgreSQL (several hosts). Unset: the idempotency store's provider (SQLite when that is None).</summary>
    public IdempotencyProvider? Provider { get; set; }

    /// <summary>The SQLite file, apart from the idempotency file so that its writes never wait on claims.</summary>
    /// <value>The default is provisioning-log.db in the idempotency file's folder (data/ under the working directory).</value>
    public string? SqlitePath { get; set; }

    /// <summary>PostgreSQL connection string: <c>ConnectionStrings:RequestLog</c>, else <c>ConnectionStrings:Idempotency</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a request (and the audit log) is kept after its last change; deleted by the one purge (<c>Storage:CleanupInterval</c>).</summary>
    /// <value>The default is 90 days.</value>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = "Storage:RequestLog:Retention must be between 1 minute and 10 years.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Entries waiting to be written. The log is written off the consume path; while its store is down entries wait
    /// here, and beyond this many the newest are dropped (counted and logged), never the commands themselves.
    /// </summary>
    /// <value>The default is 100000.</value>
    [Range(1000, 10_000_000, ErrorMessage = "Storage:RequestLog:QueueCapacity must be between 1000 and 10000000.")]
    public int QueueCapacity { get; set; } = 100_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == IdempotencyProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult(
                "ConnectionStrings:RequestLog (or ConnectionStrings:Idempotency) is required when the request log uses Postgres (environment variable ConnectionStrings__RequestLog).",
                [nameof(ConnectionString)]);
        if (Provider is IdempotencyProvider.Sqlite && string.IsNullOrWhiteSpace(SqlitePath))
            yield return new ValidationResult("Storage:RequestLog:SqlitePath must not be empty when the request log uses Sqlite.", [nameof(SqlitePath)]);
    }
}
