namespace Provisioning.Cli.Tests;

/// <summary>
/// Every input a user can type that is not a valid request: one line on stderr naming the problem, the documented exit
/// code, no stack trace, nothing published. None of these needs a broker (an unreachable one is part of the list).
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    readonly TempFiles _files = new();

    // Port 1 refuses connections at once: "unreachable" without waiting for a timeout.
    const string Unreachable = "amqp://guest:guest@127.0.0.1:1/";

    string Valid => _files.Write("valid.json", """[{"userId":"zhangsan","name":"张三","mobile":"13800000000"}]""");

    public static TheoryData<string, string[], int, string> Inputs => new()
    {
        { "missing file", ["publish", "/no/such/file.json"], 2, "no such file: '/no/such/file.json'" },
        { "no file", ["publish"], 2, "publish: Required argument missing" },
        { "timeout not a number", ["publish", "{valid}", "--timeout", "abc"], 2, "--timeout: 'abc' is not a duration more than 0" },
        { "negative timeout", ["publish", "{valid}", "--timeout", "-5"], 2, "--timeout: '-5' is not a duration more than 0" },
        { "timeout as --opt=value", ["publish", "--timeout=0", "{valid}"], 2, "--timeout: '0' is not a duration more than 0" },
        { "broker not a URI", ["publish", "{valid}", "--broker", "notauri"], 2, "--broker: 'notauri' is not an AMQP URI" },
        { "broker with another scheme", ["publish", "{valid}", "--broker", "http://guest:secret@host/"], 2, "--broker: 'http://guest:***@host/' is not an AMQP URI" },
        { "rate not a number", ["replay", "--all", "--rate", "abc"], 2, "--rate: 'abc' is not a number of messages a second more than 0" },
        { "empty older-than", ["replay", "--older-than", ""], 2, "--older-than: '' is not a duration more than 0" },
        { "bad request id filter", ["replay", "--request-id", "nope"], 2, "--request-id: 'nope' is not a GUID" },
        { "errcode not a number", ["replay", "--errcode", "x"], 2, "--errcode: 'x' is not a WeCom errcode" },
        { "replay without a filter", ["replay"], 2, "replay needs --all or a filter" },
        { "held release without a filter", ["held", "release"], 2, "release needs --all or a filter" },
        { "held with an unknown action", ["held", "frob"], 2, "held: Unrecognized command or argument 'frob'" },
        { "no verb", [], 2, "say which: publish, import, replay, held" },
        { "unknown verb", ["frob"], 2, "Unrecognized command or argument 'frob'" },
        { "unknown option", ["publish", "{valid}", "--tiemout", "5"], 2, "Unrecognized command or argument '--tiemout'" },
        { "import as something else", ["import", "{valid}", "--as", "delete"], 2, "Argument 'delete' not recognized. Must be one of: 'sync' 'create'" },
        { "unreachable broker", ["publish", "{valid}", "--broker", Unreachable], 4, "cannot reach the broker at amqp://guest@127.0.0.1:1/" },
        { "unreachable broker on replay", ["replay", "--all", "--broker", Unreachable], 4, "cannot reach the broker at amqp://guest@127.0.0.1:1/" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task EachInput_GetsOneLineOnStderr_AndItsExitCode(string input, string[] args, int exitCode, string message)
    {
        var run = await CliRun.Of([.. args.Select(a => a == "{valid}" ? Valid : a)]);

        Assert.True(exitCode == run.ExitCode, $"{input}: exit {run.ExitCode}, stderr: {run.Error}");
        Assert.Contains(message, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", run.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Files => new()
    {
        { "malformed JSON", """[{"userId":""", "the file is not valid JSON: line 1, byte 12: Expected depth to be zero at the end of the JSON payload" },
        { "empty file", "", "the file is empty; it must hold a JSON array of commands" },
        { "a null item", "[null]", "item 0: must be a JSON object (a command), not null" },
        { "a request id that is not a GUID", """[{"requestId":"abc","userId":"a","name":"n","mobile":"1"}]""", "item 0 (CreateMember): requestId 'abc' is not a GUID" },
        { "WeCom's field name", """[{"userId":"a","name":"n","mobile":"1","department":[1]}]""", "'department' is WeCom's name, the command's is 'departments'" },
        { "an object, not an array", """{"userId":"a"}""", "the file must hold a JSON array of commands" },
        { "the same command twice", """[{"type":"DisableMember","userId":"a"},{"userId":"a","type":"DisableMember"}]""", "item 1 is the same command as item 0" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task AnUnreadableFile_IsOneLineNamingTheItem_AndNothingIsPublished(string input, string content, string message)
    {
        // The broker is unreachable: had the CLI tried to publish, the exit code would be 4.
        var run = await CliRun.Of("publish", _files.Write("commands.json", content), "--broker", Unreachable);

        Assert.True(run.ExitCode == 2, $"{input}: exit {run.ExitCode}, stderr: {run.Error}");
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.EndsWith("nothing was published", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADirectory_IsNamedAsOne()
    {
        var run = await CliRun.Of("publish", _files.Folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is a directory; give the path of a file", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryBrokenRuleOfEveryItem_IsPrinted_AndNothingIsPublished()
    {
        var file = _files.Write("invalid.json", """
            [ {"userId":"_bad id","name":"","gender":3},
              {"userId":"ok","name":"好","mobile":"13800000000"},
              {"type":"UpdateMember","userId":"lisi"} ]
            """);

        var run = await CliRun.Of("publish", file, "--broker", Unreachable);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.Contains("item 0 (CreateMember '_bad id'): userId:", StringComparison.Ordinal));
        Assert.Contains(run.ErrorLines, l => l.Contains("item 0 (CreateMember '_bad id'): name: is required", StringComparison.Ordinal));
        Assert.Contains(run.ErrorLines, l => l.Contains("item 0 (CreateMember '_bad id'): gender:", StringComparison.Ordinal));
        Assert.Contains(run.ErrorLines, l => l.Contains("item 2 (UpdateMember 'lisi'):", StringComparison.Ordinal) && l.Contains("changes nothing", StringComparison.Ordinal));
        Assert.DoesNotContain(run.ErrorLines, l => l.Contains("item 1", StringComparison.Ordinal));
        Assert.EndsWith("2 of 3 command(s) in invalid.json break the consumer's rules (listed above); nothing was published", run.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_ValidatesWithoutABroker_OptionsInAnyOrder()
    {
        var run = await CliRun.Of("--json", "publish", "--dry-run", "--broker", Unreachable, Valid);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("""{"event":"valid","commands":1}""", run.Output.Trim());
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Help_OnEveryVerb_AndVersion()
    {
        foreach (string[] args in (string[][])[["--help"], ["publish", "--help"], ["import", "-h"], ["replay", "--help"], ["held", "list", "--help"], ["held", "-h"]])
        {
            var run = await CliRun.Of(args);
            Assert.True(run.ExitCode == 0, string.Join(' ', args));
            Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
        }
        var version = await CliRun.Of("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Output);
    }

    [Fact]
    public void ABadBrokerVariable_IsNamedWithoutItsPassword()
    {
        Assert.Null(BrokerAddress.Parse("amqp//guest:hunter2@host", "$ConnectionStrings__RabbitMq", out var error));
        Assert.Equal("$ConnectionStrings__RabbitMq: 'amqp//guest:***@host' is not an AMQP URI; write it as amqp://USER:PASSWORD@HOST:5672/ (or amqps://…)", error);
        Assert.Equal("amqp://guest@host:5672/vh", BrokerAddress.Safe(new Uri("amqp://guest:hunter2@host:5672/vh")));
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("00:30:00", 1800)]
    public void Durations_AsTyped(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("5x")]
    [InlineData("1e308d")]
    public void Durations_NotADuration(string text) => Assert.False(Durations.TryParse(text, out _));

    public void Dispose() => _files.Dispose();
}
