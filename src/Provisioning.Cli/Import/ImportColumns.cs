using System.Text.RegularExpressions;

namespace Provisioning.Cli.Import;

/// <summary>
/// Which member field each column holds: WeCom's member import template headers (姓名, 帐号/账号, 别名, 职务, 部门, 性别,
/// 手机, 座机, 个人邮箱, 企业邮箱, 地址, …), English ones, and the user's <c>--map "HEADER=FIELD"</c> on top. A column that
/// is none of these is an error naming it (a field silently dropped is a member created without it), unless mapped to <c>-</c>.
/// </summary>
internal static partial class ImportColumns
{
    public const string Skip = "-";

    /// <summary>The fields a row can set, in the order the report and help list them.</summary>
    public static readonly string[] Fields =
        ["userId", "name", "alias", "position", "departments", "mainDepartment", "gender", "mobile", "telephone", "email", "bizMail", "address",
         "externalPosition", "directLeaders", "corpId"];

    static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["帐号"] = "userId", ["账号"] = "userId", ["成员账号"] = "userId", ["userid"] = "userId", ["account"] = "userId",
        ["姓名"] = "name", ["name"] = "name",
        ["别名"] = "alias", ["英文名"] = "alias", ["alias"] = "alias",
        ["职务"] = "position", ["position"] = "position", ["title"] = "position", ["jobtitle"] = "position",
        ["部门"] = "departments", ["department"] = "departments", ["departments"] = "departments", ["departmentids"] = "departments",
        ["主部门"] = "mainDepartment", ["maindepartment"] = "mainDepartment",
        ["性别"] = "gender", ["gender"] = "gender",
        ["手机"] = "mobile", ["手机号"] = "mobile", ["mobile"] = "mobile", ["mobilephone"] = "mobile",
        ["座机"] = "telephone", ["telephone"] = "telephone", ["tel"] = "telephone",
        ["个人邮箱"] = "email", ["邮箱"] = "email", ["email"] = "email",
        ["企业邮箱"] = "bizMail", ["bizmail"] = "bizMail", ["workemail"] = "bizMail",
        ["地址"] = "address", ["address"] = "address",
        ["对外职务"] = "externalPosition", ["externalposition"] = "externalPosition",
        ["直属上级"] = "directLeaders", ["directleader"] = "directLeaders", ["directleaders"] = "directLeaders",
        ["企业"] = "corpId", ["corpid"] = "corpId",
    };

    // "姓名（必填）", "*Name", "Mobile Phone", "biz_mail" all name their field: marks, spaces, _ and - do not count.
    [GeneratedRegex(@"[\s_\-*]|[（(][^）)]*[）)]")]
    private static partial Regex Noise();

    static string Normal(string header) => Noise().Replace(header, "").ToLowerInvariant();

    public static bool IsKnownHeader(string header) => Aliases.ContainsKey(Normal(header));

    /// <summary>The field of each column (<see cref="Skip"/> for one left out).</summary>
    /// <exception cref="CliException">A column that is no field, a mapping that names no column or no field, a field given twice, or no userid.</exception>
    public static string[] Resolve(IReadOnlyList<string> headers, IReadOnlyList<string> mappings, Func<int, bool> columnIsEmpty)
    {
        var mapped = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var mapping in mappings)
        {
            var at = mapping.LastIndexOf('=');
            if (at <= 0)
                throw new CliException($"--map '{mapping}': write it as \"HEADER=FIELD\", e.g. --map \"Emp No=userId\" or --map \"Start date=-\" to leave a column out");
            var (header, field) = (mapping[..at].Trim(), mapping[(at + 1)..].Trim());
            if (!headers.Contains(header, StringComparer.OrdinalIgnoreCase))
                throw new CliException($"--map '{mapping}': there is no column '{header}'; the columns are {string.Join(", ", headers.Where(h => h.Length > 0).Select(h => $"'{h}'"))}");
            var known = field == Skip ? Skip : Fields.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase))
                ?? throw new CliException($"--map '{mapping}': '{field}' is not a member field; use one of {string.Join(", ", Fields)}, or - to leave the column out");
            mapped[header] = known;
        }

        var fields = new string[headers.Count];
        for (var column = 0; column < headers.Count; column++)
        {
            var header = headers[column];
            if (mapped.TryGetValue(header, out var field))
                fields[column] = field;
            else if (Aliases.TryGetValue(Normal(header), out var alias))
                fields[column] = alias;
            else if (header.Length == 0 && columnIsEmpty(column))
                fields[column] = Skip;
            else if (header.Length == 0)
                throw new CliException($"column {Letter(column)} has values but no header: give it one, or a --map");
            else
                throw new CliException($"column '{header}' is not a member field: map it with --map \"{header}=FIELD\" ({string.Join(", ", Fields)}) or leave it out with --map \"{header}=-\"");
        }
        var twice = fields.Select((f, c) => (f, c)).Where(x => x.f != Skip).GroupBy(x => x.f).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new CliException($"columns {string.Join(" and ", twice.Select(x => $"'{headers[x.c]}'"))} both hold {twice.Key}: leave one out with --map \"HEADER=-\"");
        if (!fields.Contains("userId"))
            throw new CliException("no column holds the member's userid (WeCom's 账号/帐号, or userid): add one, or name it with --map \"HEADER=userId\"");
        return fields;
    }

    /// <summary>A column as a spreadsheet names it: A, B, …, Z, AA.</summary>
    public static string Letter(int column) => column < 26 ? ((char)('A' + column)).ToString() : Letter(column / 26 - 1) + (char)('A' + column % 26);
}
