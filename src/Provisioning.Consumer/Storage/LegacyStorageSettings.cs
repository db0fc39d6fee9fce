namespace Provisioning.Consumer.Storage;

/// <summary>
/// The storage settings are one section, <c>Storage</c> (the ledger, the purge, and <c>Storage:RequestLog</c>). Their
/// names before it (<c>Idempotency:*</c>, <c>RequestLog:*</c>) keep working, because operators' configurations use them:
/// each old name in use is read as its new one (unless the new one is set too) and named in a warning at start-up.
/// </summary>
internal static partial class LegacyStorageSettings
{
    static readonly (string Old, string New)[] Renamed =
    [
        ("Idempotency:Provider", "Storage:Provider"),
        ("Idempotency:SqlitePath", "Storage:SqlitePath"),
        ("Idempotency:SqliteWalMegabytes", "Storage:SqliteWalMegabytes"),
        ("Idempotency:LeaseDuration", "Storage:LeaseDuration"),
        ("Idempotency:Retention", "Storage:Retention"),
        ("Idempotency:CleanupInterval", "Storage:CleanupInterval"),
        ("RequestLog:CleanupInterval", "Storage:CleanupInterval"),
        ("RequestLog:Enabled", "Storage:RequestLog:Enabled"),
        ("RequestLog:Provider", "Storage:RequestLog:Provider"),
        ("RequestLog:SqlitePath", "Storage:RequestLog:SqlitePath"),
        ("RequestLog:Retention", "Storage:RequestLog:Retention"),
        ("RequestLog:QueueCapacity", "Storage:RequestLog:QueueCapacity"),
    ];

    /// <summary>
    /// Reads every old name in use as its new one, unless the new one is set where configuration weighs more (a later
    /// source: the environment over appsettings.json, so an old environment variable still beats a shipped default of
    /// the new name); returns what to warn about, one line each.
    /// </summary>
    public static IReadOnlyList<string> Apply(IConfigurationManager configuration)
    {
        var providers = ((IConfigurationRoot)configuration).Providers.ToList();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var warnings = new List<string>();
        foreach (var (old, renamed) in Renamed)
        {
            var (oldAt, value) = LastSet(providers, old);
            if (oldAt < 0)
                continue;
            var (newAt, _) = LastSet(providers, renamed);
            if (oldAt > newAt && !values.ContainsKey(renamed))
            {
                values[renamed] = value;
                warnings.Add($"{old} (or {Variable(old)}) is now {renamed} ({Variable(renamed)}): read as that for now; rename it");
            }
            else
                warnings.Add($"{old} (or {Variable(old)}) is ignored: {renamed} is set where it weighs more; remove the old name");
        }
        if (values.Count > 0)
            configuration.AddInMemoryCollection(values);
        return warnings;
    }

    /// <summary>The last source (the one that wins) setting <paramref name="key"/>, and its value; -1 when none does.</summary>
    static (int At, string? Value) LastSet(List<IConfigurationProvider> providers, string key)
    {
        for (var at = providers.Count - 1; at >= 0; at--)
        {
            if (providers[at].TryGet(key, out var value))
                return (at, value);
        }
        return (-1, null);
    }

    /// <summary>
    /// The warnings of <see cref="Apply"/> as one sentence for a failed start (the hosted service that logs them never
    /// runs then), so the operator reads the name they set beside the new name the error gives; empty when none.
    /// </summary>
    public static string NoteFor(IHostApplicationBuilder? builder) =>
        builder?.Properties.TryGetValue(typeof(LegacyStorageSettings), out var value) == true && value is IReadOnlyList<string> { Count: > 0 } warnings
            ? " Settings renamed: " + string.Join("; ", warnings) + "."
            : "";

    static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Logs the warnings once the host's logging is up.</summary>
    internal sealed partial class Warnings(IReadOnlyList<string> warnings, ILogger<Warnings> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var warning in warnings)
                LogRenamed(logger, warning);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Setting renamed: {Warning}")]
        static partial void LogRenamed(ILogger logger, string warning);
    }
}
