using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Provisioning.Rules;

namespace Provisioning.Cli.Import;

/// <summary>
/// Each row of a table as a command (<c>SyncMember</c> by default: created if new, brought in line if there, as WeCom's
/// own import does; or <c>CreateMember</c>), its request id derived from its content like a command file's, and every
/// broken rule, by column: the cell conversions here, then the consumer's own validator.
/// </summary>
internal static partial class ImportRows
{
    /// <summary>One row: its command when it is valid, else what is wrong with it (each naming the column).</summary>
    public sealed record Parsed(ImportTable.Row Row, string UserId, Guid RequestId, MemberCommandFile.Item? Item, IReadOnlyList<string> Errors);

    [GeneratedRegex(@"[;,，；|、\s]+")]
    private static partial Regex ListSeparators();

    public static IReadOnlyList<Parsed> Build(ImportTable table, string[] fields, Type commandType, string? corpId)
    {
        var labels = fields.Select((field, column) => (field, column)).Where(x => x.field != ImportColumns.Skip)
            .ToDictionary(x => x.field, x => table.Headers[x.column] == x.field ? x.field : $"{table.Headers[x.column]} ({x.field})");
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var parsed = new List<Parsed>();
        foreach (var row in table.Rows.Where(r => !r.IsEmpty))
        {
            var errors = new List<string>();
            var body = new JsonObject();
            for (var column = 0; column < fields.Length; column++)
            {
                var text = row.Cells[column]?.Trim();
                if (fields[column] == ImportColumns.Skip || string.IsNullOrEmpty(text))
                    continue;
                var value = Convert(fields[column], text, out var error);
                if (error is not null)
                    errors.Add($"{labels[fields[column]]}: {error}");
                else
                    body[fields[column]] = value;
            }
            if (corpId is not null && !body.ContainsKey("corpId"))
                body["corpId"] = corpId;

            var userId = body["userId"]?.GetValue<string>() ?? "";
            var requestId = RequestIds.Derive(commandType.Name, body);
            body["requestId"] = requestId;
            MemberCommandFile.Item? item = null;
            if (errors.Count == 0)
            {
                var command = body.Deserialize(commandType, MemberCommandFile.Strict)!;
                errors.AddRange(MemberRules.ValidateAny(command).Select(e => $"{Label(labels, e.Field)}: {e.Message}"));
                item = new MemberCommandFile.Item(commandType, command, requestId, userId);
            }
            var member = $"{body["corpId"]?.GetValue<string>()}/{userId}";
            if (userId.Length > 0 && !seen.TryAdd(member, row.Number))
                errors.Add($"{labels["userId"]}: '{userId}' is also on row {seen[member]}; one row per member");
            parsed.Add(new Parsed(row, userId, requestId, errors.Count == 0 ? item : null, errors));
        }
        return parsed;
    }

    /// <summary>The column a validator's field path (<c>departments[0].id</c>) came from.</summary>
    static string Label(Dictionary<string, string> labels, string path)
    {
        var field = path.Split('.', '[')[0];
        return labels.TryGetValue(field, out var label) ? label + (path.Length > field.Length ? path[field.Length..] : "") : path;
    }

    static JsonNode? Convert(string field, string text, out string? error)
    {
        error = null;
        switch (field)
        {
            case "departments":
                var ids = new JsonArray();
                foreach (var part in ListSeparators().Split(text).Where(p => p.Length > 0))
                {
                    if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    {
                        error = $"'{part}' is not a department id: this import takes WeCom department ids (e.g. 1;2), not department names or paths";
                        return null;
                    }
                    ids.Add(new JsonObject { ["id"] = id });
                }
                return ids;
            case "mainDepartment":
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var main))
                    return main;
                error = $"'{text}' is not a department id";
                return null;
            case "gender":
                int? gender = text.ToLowerInvariant() switch { "男" or "male" or "m" or "1" => 1, "女" or "female" or "f" or "2" => 2, _ => null };
                if (gender is null)
                    error = $"'{text}' is not a gender: write 男 or 女 (or male/female, 1/2), or leave it empty";
                return gender;
            case "directLeaders":
                return new JsonArray([.. ListSeparators().Split(text).Where(p => p.Length > 0).Select(p => (JsonNode)p)]);
            default:
                return text;
        }
    }
}
