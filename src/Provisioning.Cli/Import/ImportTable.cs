using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Provisioning.Cli.Import;

/// <summary>
/// A spreadsheet as text cells: its header row and the rows below it, each with the row number a spreadsheet program
/// shows. CSV through CsvHelper (UTF-8, with or without BOM; quoted commas and line breaks), XLSX through MiniExcel.
/// The header row is the first row naming a known column within the first ten, so WeCom's template, whose first
/// row is an explanation, is read as it is downloaded.
/// </summary>
internal sealed record ImportTable(IReadOnlyList<string> Headers, int HeaderRow, IReadOnlyList<ImportTable.Row> Rows)
{
    public sealed record Row(int Number, IReadOnlyList<string?> Cells)
    {
        public bool IsEmpty => Cells.All(string.IsNullOrWhiteSpace);
    }

    /// <exception cref="CliException">Not a CSV or XLSX file, unreadable, or without a header row.</exception>
    public static ImportTable Read(FileInfo file, string? sheet, Func<string, bool> isHeader)
    {
        var extension = file.Extension.ToLowerInvariant();
        List<string?[]> rows;
        try
        {
            rows = extension switch
            {
                ".csv" or ".txt" => ReadCsv(file),
                ".xlsx" or ".xlsm" => ReadXlsx(file, sheet),
                _ => throw new CliException($"'{file.Name}' is not a .csv or .xlsx file: save the sheet as CSV (UTF-8) or Excel workbook (.xlsx)"),
            };
        }
        catch (Exception ex) when (ex is not CliException and not OperationCanceledException)
        {
            throw new CliException($"cannot read '{file.Name}' as {(extension == ".csv" ? "CSV" : "XLSX")}: {ex.Message}");
        }

        var headerIndex = -1;
        for (var i = 0; i < Math.Min(10, rows.Count) && headerIndex < 0; i++)
        {
            if (rows[i].Any(cell => cell is not null && isHeader(cell)))
                headerIndex = i;
        }
        if (headerIndex < 0)
            throw new CliException($"'{file.Name}' has no header row in its first ten rows: the columns need names such as 姓名, 账号, 手机 (WeCom's template) or name, userid, mobile");
        var headers = rows[headerIndex].Select(h => h?.Trim() ?? "").ToArray();
        var data = rows.Skip(headerIndex + 1)
            .Select((cells, i) => new Row(headerIndex + 2 + i, [.. Enumerable.Range(0, headers.Length).Select(c => c < cells.Length ? cells[c] : null)]))
            .ToList();
        return new ImportTable(headers, headerIndex + 1, data);
    }

    static List<string?[]> ReadCsv(FileInfo file)
    {
        using var reader = new StringReader(Decode(File.ReadAllBytes(file.FullName)));
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            BadDataFound = null,
            IgnoreBlankLines = false,
        });
        var rows = new List<string?[]>();
        while (csv.Read())
            rows.Add(csv.Parser.Record ?? []);
        return rows;
    }

    /// <summary>
    /// UTF-8 (with or without BOM); failing that GB18030, which is what Excel's plain "CSV" writes on Chinese Windows
    /// (read as UTF-8 its 姓名 would be mojibake and no header would be found).
    /// </summary>
    static string Decode(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("GB18030").GetString(bytes);
        }
    }

    static List<string?[]> ReadXlsx(FileInfo file, string? sheet)
    {
        if (sheet is not null && !MiniExcel.GetSheetNames(file.FullName).Contains(sheet))
            throw new CliException($"'{file.Name}' has no sheet '{sheet}'; it has {string.Join(", ", MiniExcel.GetSheetNames(file.FullName).Select(s => $"'{s}'"))}");
        var rows = new List<string?[]>();
        foreach (IDictionary<string, object?> row in MiniExcel.Query(file.FullName, useHeaderRow: false, sheetName: sheet))
            rows.Add([.. row.Values.Select(Text)]);
        return rows;
    }

    /// <summary>A cell as text: numbers without a decimal point or exponent (a mobile typed as a number stays 13800000000).</summary>
    static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e17 => ((long)d).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
