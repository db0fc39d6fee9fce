using MiniExcelLibs;
using Provisioning.Cli.Import;
using Provisioning.Contracts;

namespace Provisioning.Cli.Tests;

/// <summary>Sheets to commands: WeCom's template headers and English ones, CSV and XLSX, and every row's broken rules by column.</summary>
public sealed class ImportMappingTests : IDisposable
{
    readonly TempFiles _files = new();

    static IReadOnlyList<ImportRows.Parsed> Rows(string path, string[]? map = null, Type? type = null, string? corpId = null)
    {
        var table = ImportTable.Read(new FileInfo(path), null, ImportColumns.IsKnownHeader);
        var fields = ImportColumns.Resolve(table.Headers, map ?? [], column => table.Rows.All(r => string.IsNullOrWhiteSpace(r.Cells[column])));
        return ImportRows.Build(table, fields, type ?? typeof(SyncMember), corpId);
    }

    static SyncMember Sync(ImportRows.Parsed row) => Assert.IsType<SyncMember>(Assert.IsType<MemberCommandFile.Item>(row.Item).Command);

    [Fact]
    public void WeComTemplateHeaders_InCsv_WithChineseText_QuotedCommas_AndEmptyCells()
    {
        var path = _files.Write("members.csv", """
            姓名,帐号,别名,职务,部门,性别,手机,座机,个人邮箱,企业邮箱,地址
            张三,zhangsan,San,产品经理,1;2,男,13800000001,0755-1234,zs@example.com,zhangsan@corp.example.com,"深圳市南山区, 科技园 1 栋"
            李四,lisi,,,3,女,,,lisi@example.com,,
            """);

        var rows = Rows(path);

        Assert.Equal([2, 3], rows.Select(r => r.Row.Number));
        var zhangsan = Sync(rows[0]);
        Assert.Equal(("张三", "zhangsan", "San", "产品经理"), (zhangsan.Name, zhangsan.UserId, zhangsan.Alias, zhangsan.Position));
        Assert.Equal([1L, 2L], zhangsan.Departments!.Select(d => d.Id));
        Assert.Equal((1, "13800000001", "0755-1234"), (zhangsan.Gender, zhangsan.Mobile, zhangsan.Telephone));
        Assert.Equal(("zs@example.com", "zhangsan@corp.example.com"), (zhangsan.Email, zhangsan.BizMail));
        Assert.Equal("深圳市南山区, 科技园 1 栋", zhangsan.Address);
        var lisi = Sync(rows[1]);
        Assert.Equal((2, (string?)null, (string?)null), (lisi.Gender, lisi.Mobile, lisi.Alias));
    }

    [Fact]
    public void ACsvSavedByExcelOnChineseWindows_InGb18030_IsReadAsWell()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var path = _files.PathOf("gbk.csv");
        File.WriteAllBytes(path, System.Text.Encoding.GetEncoding("GB18030").GetBytes("姓名,账号,手机\r\n张三,zhangsan,13800000001\r\n"));

        var row = Assert.Single(Rows(path));

        Assert.Equal(("张三", "zhangsan"), (Sync(row).Name, Sync(row).UserId));
    }

    [Fact]
    public void EnglishHeaders_AndTheOtherSpellingOfAccount()
    {
        var english = Rows(_files.Write("en.csv", "Name,UserID,Mobile Phone,Department,Gender,Email,biz_mail\nAda,ada,13800000002,5,female,ada@example.com,\n"));
        var chinese = Rows(_files.Write("zh.csv", "姓名,账号,手机,部门\n王五,wangwu,13800000003,1\n"));

        Assert.Equal(("Ada", "ada", 2, 5L), (Sync(english[0]).Name, Sync(english[0]).UserId, Sync(english[0]).Gender!.Value, Sync(english[0]).Departments![0].Id));
        Assert.Equal("wangwu", Sync(chinese[0]).UserId);
    }

    [Fact]
    public void Xlsx_BothHeaderStyles_NumbersAsTyped_AndAnExplanationRowAboveTheHeader()
    {
        var path = _files.PathOf("members.xlsx");
        MiniExcel.SaveAs(path, new object[]
        {
            new Dictionary<string, object?> { ["A"] = "说明：带*为必填", ["B"] = null, ["C"] = null, ["D"] = null, ["E"] = null },
            new Dictionary<string, object?> { ["A"] = "姓名*", ["B"] = "账号*", ["C"] = "手机", ["D"] = "部门", ["E"] = "email" },
            new Dictionary<string, object?> { ["A"] = "赵六", ["B"] = "zhaoliu", ["C"] = 13800000004L, ["D"] = 7, ["E"] = null },
            new Dictionary<string, object?> { ["A"] = null, ["B"] = null, ["C"] = null, ["D"] = null, ["E"] = null },
            new Dictionary<string, object?> { ["A"] = "钱七", ["B"] = "qianqi", ["C"] = null, ["D"] = "1;2", ["E"] = "qq@example.com" },
        }, printHeader: false);

        var rows = Rows(path);

        Assert.Equal([3, 5], rows.Select(r => r.Row.Number));
        Assert.Equal(("赵六", "13800000004", 7L), (Sync(rows[0]).Name, Sync(rows[0]).Mobile, Sync(rows[0]).Departments![0].Id));
        Assert.Equal(("qianqi", "qq@example.com"), (Sync(rows[1]).UserId, Sync(rows[1]).Email));
    }

    [Fact]
    public void EveryBrokenRuleOfARow_IsNamedByItsColumn_WithTheConsumersRules()
    {
        var rows = Rows(_files.Write("bad.csv", """
            姓名,账号,手机,部门,性别,个人邮箱
            ,has space,abc,研发部,未知,not-an-email
            好,ok,13800000005,1,,
            重复,OK,13800000006,1,,
            """));

        Assert.Equal(
            ["部门 (departments): '研发部' is not a department id: this import takes WeCom department ids (e.g. 1;2), not department names or paths",
             "性别 (gender): '未知' is not a gender: write 男 or 女 (or male/female, 1/2), or leave it empty"],
            rows[0].Errors);
        Assert.Empty(rows[1].Errors);
        Assert.Equal(["账号 (userId): 'OK' is also on row 3; one row per member"], rows[2].Errors);

        // Once the cells convert, the consumer's own validator speaks, still by column.
        var converted = Rows(_files.Write("rules.csv", "姓名,账号,手机,个人邮箱\n,has space,abc,not-an-email\n"));
        Assert.Contains(converted[0].Errors, e => e.StartsWith("账号 (userId): must be 1-64 characters", StringComparison.Ordinal));
        Assert.Contains(converted[0].Errors, e => e.StartsWith("手机 (mobile):", StringComparison.Ordinal));
        Assert.Contains(converted[0].Errors, e => e.StartsWith("个人邮箱 (email):", StringComparison.Ordinal));
        Assert.Null(converted[0].Item);
    }

    [Fact]
    public void AnUnknownColumn_IsRefused_UnlessMapped()
    {
        var path = _files.Write("hr.csv", "Emp No,Full name,Mobile,Start date\nE001,Ada,13800000007,2026-12-01\n");

        var refused = Assert.Throws<CliException>(() => Rows(path));
        Assert.Equal("column 'Emp No' is not a member field: map it with --map \"Emp No=FIELD\" (userId, name, alias, position, departments, mainDepartment, gender, mobile, telephone, email, bizMail, address, externalPosition, directLeaders, corpId) or leave it out with --map \"Emp No=-\"", refused.Message);

        var rows = Rows(path, ["Emp No=userId", "Full name=name", "Start date=-"]);
        Assert.Equal(("E001", "Ada"), (Sync(rows[0]).UserId, Sync(rows[0]).Name));
        Assert.Contains("'nickname' is not a member field", Assert.Throws<CliException>(() => Rows(path, ["Emp No=nickname"])).Message, StringComparison.Ordinal);
        Assert.Contains("there is no column 'Staff'", Assert.Throws<CliException>(() => Rows(path, ["Staff=userId"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestIds_AreTheSameEveryRun_AndDifferByEnterpriseAndContent()
    {
        var path = _files.Write("ids.csv", "姓名,账号,手机\n张三,zhangsan,13800000008\n");
        var moved = _files.Write("moved.csv", "账号,手机,姓名\nzhangsan,13800000009,张三\n");

        var first = Rows(path)[0].RequestId;

        Assert.Equal(first, Rows(path)[0].RequestId);
        Assert.NotEqual(first, Rows(path, corpId: "ww2")[0].RequestId);
        Assert.NotEqual(first, Rows(path, type: typeof(CreateMember))[0].RequestId);
        Assert.NotEqual(first, Rows(moved)[0].RequestId);
        Assert.Equal(first, Sync(Rows(path)[0]).RequestId);
    }

    [Theory]
    [InlineData("members.xls", "is not a .csv or .xlsx file")]
    [InlineData("notes.csv", "has no header row in its first ten rows")]
    public void AFileThatIsNoMemberSheet_IsNamed(string name, string message)
    {
        var path = _files.Write(name, "hello,world\n1,2\n");

        Assert.Contains(message, Assert.Throws<CliException>(() => Rows(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRunImport_ListsInvalidRows_ExitsOne_AndPublishesNothing()
    {
        var path = _files.Write("dry.csv", "姓名,账号,手机\n好,ok,13800000010\n坏,bad id,13800000011\n");

        var run = await CliRun.Of("import", path, "--dry-run", "--broker", "amqp://guest:guest@127.0.0.1:1/");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 member row(s) under the header on row 1, as SyncMember: 1 valid, 1 invalid.", run.Output, StringComparison.Ordinal);
        Assert.Contains("✘ row 3 bad id: 账号 (userId): must be 1-64 characters", run.Output, StringComparison.Ordinal);
        Assert.Contains("Nothing was published (--dry-run).", run.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_files.PathOf("dry.report.csv")));
    }

    public void Dispose() => _files.Dispose();
}
