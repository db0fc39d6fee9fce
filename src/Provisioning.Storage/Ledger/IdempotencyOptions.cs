using System.ComponentModel.DataAnnotations;

namespace Provisioning.Storage;

/// <summary>Which idempotency store, where, and how long it remembers.</summary>
public enum IdempotencyProvider
{
    /// <summary>An embedded SQLite file: one host (replicas on that host share the file).</summary>
    Sqlite,

    /// <summary>PostgreSQL (<c>ConnectionStrings:Idempotency</c>): replicas on several hosts.</summary>
    Postgres,

    /// <summary>No store: duplicates are created again. For benchmarks only.</summary>
    None,
}

/// <summary>Section <c>Storage</c> (formerly <c>Idempotency</c>): the request ledger, and how often every store is purged.</summary>
public sealed class IdempotencyOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary>The store.</summary>
    /// <value>The default is Sqlite.</value>
    public IdempotencyProvider Provider { get; set; } = IdempotencyProvider.Sqlite;

    /// <summary>The SQLite file (created with its folder if missing).</summary>
    /// <value>The default is data/idempotency.db under the working directory.</value>
    public string SqlitePath { get; set; } = "data/idempotency.db";

    /// <summary>
    /// The SQLite file's write-ahead log, in MiB: past it, the writer lets the log start afresh between two writes, and
    /// the file is cut back to it. Larger means fewer of these short pauses, more disk.
    /// </summary>
    /// <value>The default is 4 (SQLite's own default checkpoint size, 1,000 pages of 4 KiB).</value>
    [Range(1, 1024, ErrorMessage = "Storage:SqliteWalMegabytes must be between 1 and 1024.")]
    public int SqliteWalMegabytes { get; set; } = 4;

    /// <summary>PostgreSQL connection string, from <c>ConnectionStrings:Idempotency</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long one delivery owns a request before another may take over (its owner is presumed dead). Longer than one attempt.</summary>
    /// <value>The default is 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Storage:LeaseDuration must be between 1 second and 1 hour.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long ended requests are remembered (and so answered identically), and what was applied to a member with nothing unfinished.</summary>
    /// <value>The default is 30 days.</value>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = "Storage:Retention must be between 1 minute and 10 years.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often every store's entries past their retention are deleted (the ledger's and the provisioning log's), in the background.</summary>
    /// <value>The default is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Storage:CleanupInterval must be between 1 second and 1 day.")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == IdempotencyProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult(
                "ConnectionStrings:Idempotency is required when Storage:Provider is Postgres (environment variable ConnectionStrings__Idempotency).",
                [nameof(ConnectionString)]);
        if (Provider == IdempotencyProvider.Sqlite && string.IsNullOrWhiteSpace(SqlitePath))
            yield return new ValidationResult("Storage:SqlitePath must not be empty when Storage:Provider is Sqlite.", [nameof(SqlitePath)]);
    }
}
