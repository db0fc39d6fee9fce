using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Provisioning.Consumer.Logging;

/// <summary>
/// One line per log entry: time, level, category, event id, message. An exception we expect in operation (an
/// unreachable broker or WeCom, a store outage, an unreadable or corrupted message) adds only its type and message to that line;
/// any other exception keeps its stack trace, since that is a defect to look into.
/// </summary>
internal sealed class OneLineConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "oneline";

    static readonly string[] ExpectedNamespaces =
    [
        "RabbitMQ.Client.Exceptions", "System.Net", "System.Text.Json", "Npgsql", "Microsoft.Data.Sqlite",
        "Provisioning.Consumer",
    ];

    static readonly HashSet<string> ExpectedTypes =
    [
        "MassTransit.RabbitMqConnectionException", "MassTransit.SerializationException", "MassTransit.MessageException",
        "MassTransit.ConnectionException", "MassTransit.TransportException", "System.TimeoutException",
        "System.Threading.Tasks.TaskCanceledException", "System.OperationCanceledException",
        // Invalid UTF-8 in a message: System.Text.Json wraps it in an InvalidOperationException when it reads the string.
        "System.Text.DecoderFallbackException",
    ];

    // Thrown while reading a message's envelope (a corrupted messageId is a FormatException from here): bad input.
    const string MessageReading = "MassTransit.Serialization";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
            return;
        var timestamp = options.CurrentValue.TimestampFormat is { } format
            ? (options.CurrentValue.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now).ToString(format, System.Globalization.CultureInfo.InvariantCulture)
            : null;
        if (timestamp is not null)
            textWriter.Write(timestamp);
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write("] ");
        textWriter.Write(Flatten(message));
        if (logEntry.Exception is { } exception)
        {
            if (IsExpected(exception))
            {
                textWriter.Write(" (");
                textWriter.Write(Describe(exception));
                textWriter.Write(')');
            }
            else
            {
                textWriter.WriteLine();
                textWriter.Write(exception.ToString());
            }
        }
        textWriter.WriteLine();
    }

    /// <summary>Whether an exception is one we meet in normal operation, so its stack trace says nothing new.</summary>
    internal static bool IsExpected(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            var type = e.GetType().FullName ?? "";
            if (ExpectedTypes.Contains(type) || ExpectedNamespaces.Any(ns => type.StartsWith(ns + ".", StringComparison.Ordinal)) ||
                e.TargetSite?.DeclaringType?.Namespace == MessageReading)
                return true;
        }
        return false;
    }

    static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (Exception? e = exception; e is not null && parts.Count < 4; e = e.InnerException)
            parts.Add($"{e.GetType().Name}: {Flatten(e.Message)}");
        return string.Join(" ---> ", parts.Distinct());
    }

    static string Flatten(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.ReplaceLineEndings(" ");

    static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
