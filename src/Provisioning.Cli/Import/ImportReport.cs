using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Provisioning.Cli.Import;

/// <summary>
/// The import's result file, one CSV row per input row: row, userId, requestId, outcome, reason, errcode, message.
/// Written as outcomes arrive (each line flushed), so an import killed halfway leaves what it learnt; the next run of the
/// same file reads it back and publishes only the rows without an outcome. Sorted by row when the run ends.
/// </summary>
internal sealed class ImportReport : IDisposable
{
    public const string Invalid = "Invalid";

    public const string NoOutcome = "NoOutcome";

    public sealed record Entry(int Row, string UserId, string RequestId, string Outcome, string Reason, string ErrCode, string Message)
    {
        /// <summary>An outcome event arrived: the row is done, and a resumed import leaves it alone.</summary>
        [CsvHelper.Configuration.Attributes.Ignore]
        public bool Final => Outcome is not (Invalid or NoOutcome) && Outcome.Length > 0;
    }

    static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture);

    readonly StreamWriter _writer;
    readonly CsvWriter _csv;

    ImportReport(StreamWriter writer)
    {
        _writer = writer;
        _csv = new CsvWriter(writer, Csv);
    }

    /// <summary>The entries of an earlier run, the last one of each request id (empty when there is no report).</summary>
    public static Dictionary<string, Entry> ReadPrevious(string path)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
            return entries;
        try
        {
            using var reader = new StreamReader(path);
            using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { MissingFieldFound = null, BadDataFound = null });
            foreach (var entry in csv.GetRecords<Entry>())
            {
                // A later final outcome wins over an earlier line; a NoOutcome never replaces a final one.
                if (!entries.TryGetValue(entry.RequestId, out var earlier) || !earlier.Final || entry.Final)
                    entries[entry.RequestId] = entry;
            }
        }
        catch (Exception ex) when (ex is CsvHelperException or IOException)
        {
            throw new CliException($"cannot read the earlier report '{path}' to resume from it ({ex.Message.Split('\n')[0]}): move it away, or give --restart");
        }
        return entries;
    }

    /// <summary>Opens the report to add lines to (a new one when <paramref name="append"/> is false).</summary>
    public static ImportReport Open(string path, bool append)
    {
        var exists = append && File.Exists(path) && new FileInfo(path).Length > 0;
        try
        {
            var report = new ImportReport(new StreamWriter(path, append, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: !exists)));
            if (!exists)
            {
                report._csv.WriteHeader<Entry>();
                report._csv.NextRecord();
                report._writer.Flush();
            }
            return report;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write the report '{path}': {ex.Message} (give another place with --report)");
        }
    }

    public void Write(Entry entry)
    {
        lock (_writer)
        {
            _csv.WriteRecord(entry);
            _csv.NextRecord();
            _writer.Flush();
        }
    }

    /// <summary>The report as the run leaves it: one line per row, in row order (written aside, then moved over the journal).</summary>
    public static void Rewrite(string path, IEnumerable<Entry> entries)
    {
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(writer, Csv))
            csv.WriteRecords(entries.OrderBy(e => e.Row));
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose()
    {
        _csv.Dispose();
        _writer.Dispose();
    }
}
