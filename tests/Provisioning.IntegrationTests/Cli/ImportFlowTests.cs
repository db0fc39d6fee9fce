using System.Diagnostics;
using System.Text;
using Provisioning.Cli;
using Provisioning.IntegrationTests.Infrastructure;
using Provisioning.WeComSimulator;
using RabbitMQ.Client;

namespace Provisioning.IntegrationTests.Cli;

/// <summary>Bulk import over the real broker: invalid rows first, the valid ones synced, re-runs idempotent, a killed import resumed.</summary>
public sealed class ImportFlowTests(ProvisioningSystem system) : IClassFixture<ProvisioningSystem>, IDisposable
{
    static int _mobile = Random.Shared.Next(0, 40_000_000);
    readonly string _folder = Directory.CreateTempSubdirectory("import-tests-").FullName;

    /// <summary>A sheet in WeCom's template headers; every <paramref name="invalidEvery"/>th row breaks a rule (a department name).</summary>
    string Sheet(string name, int rows, int invalidEvery, out string prefix)
    {
        prefix = "imp" + Guid.NewGuid().ToString("N")[..6];
        var csv = new StringBuilder("姓名,账号,手机,部门,性别,地址\n");
        for (var i = 1; i <= rows; i++)
        {
            var department = invalidEvery > 0 && i % invalidEvery == 0 ? "研发部" : "1;2";
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"成员{i},{prefix}-{i},137{Interlocked.Increment(ref _mobile):D8},{department},{(i % 2 == 0 ? "女" : "男")},\"深圳, {i} 号\"\n");
        }
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    static async Task<(int ExitCode, string Output, string Error)> ImportAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await CliApp.RunAsync(["import", .. args], output, error, interactive: false, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    static List<string[]> Report(string path) =>
        [.. File.ReadAllLines(path).Skip(1).Select(line => line.Split(',')).OrderBy(cells => int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture))];

    async Task<List<Simulator.LedgerMember>> MembersAsync(string prefix) =>
        [.. (await system.Simulator.LedgerAsync()).Members.Where(m => m.UserId.StartsWith(prefix, StringComparison.Ordinal))];

    [Fact]
    public async Task AThousandRows_InvalidReportedFirst_ValidSynced_ReportComplete_AndAReImportMakesNoWeComCall()
    {
        var sheet = Sheet("thousand.csv", 1000, invalidEvery: 20, out var prefix);
        var report = Path.Combine(_folder, "thousand.report.csv");

        var first = await ImportAsync(sheet, "--broker", system.Broker.AmqpUri.ToString(), "--timeout", "60");

        Assert.True(first.ExitCode == 1, first.Output + first.Error);
        var lines = first.Output.Split('\n');
        Assert.Contains("1000 member row(s) under the header on row 1, as SyncMember: 950 valid, 50 invalid.", lines[0], StringComparison.Ordinal);
        var firstInvalid = Array.FindIndex(lines, l => l.Contains("✘ row 21 ", StringComparison.Ordinal));
        var publishing = Array.FindIndex(lines, l => l.StartsWith("Publishing 950 command(s)", StringComparison.Ordinal));
        Assert.InRange(firstInvalid, 1, publishing - 1);
        var rows = Report(report);
        Assert.Equal(Enumerable.Range(2, 1000), rows.Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(50, rows.Count(r => r[3] == "Invalid" && r[6].Contains("'研发部' is not a department id", StringComparison.Ordinal)));
        Assert.Equal(950, rows.Count(r => r[3] == "MemberSynced" && r[6] == "created"));
        Assert.Equal(950, rows.Select(r => r[2]).Distinct().Count(id => Guid.TryParse(id, out _)) - 50);
        var members = await MembersAsync(prefix);
        Assert.Equal(950, members.Count);
        var calls = (await system.Simulator.LedgerAsync()).UserCalls;

        var again = await ImportAsync(sheet, "--broker", system.Broker.AmqpUri.ToString(), "--timeout", "60");

        Assert.True(again.ExitCode == 1, again.Output + again.Error);
        Assert.Contains("Resuming: 950 row(s) already have an outcome", again.Output, StringComparison.Ordinal);
        Assert.Equal(rows.Select(r => string.Join(',', r)), Report(report).Select(r => string.Join(',', r)));
        Assert.Equal(calls, (await system.Simulator.LedgerAsync()).UserCalls);

        // --restart publishes every row again: the same request ids, so the consumer answers from its store, still without calling WeCom.
        var restarted = await ImportAsync(sheet, "--broker", system.Broker.AmqpUri.ToString(), "--restart", "--json");
        Assert.True(restarted.ExitCode == 1, restarted.Error);
        Assert.Contains("\"outcomes\":{\"Invalid\":50,\"MemberSynced\":950}", restarted.Output, StringComparison.Ordinal);
        Assert.Equal(calls, (await system.Simulator.LedgerAsync()).UserCalls);
    }

    [Fact]
    public async Task AnImportKilledHalfway_ResumesFromItsReport_EveryRowExactlyOnce()
    {
        var sheet = Sheet("killed.csv", 400, invalidEvery: 0, out var prefix);
        var report = Path.Combine(_folder, "killed.report.csv");
        // Slow enough that outcomes trickle in while the import runs.
        await system.Simulator.SetFaultsAsync(new FaultSettings { LatencyMs = 150 });
        try
        {
            var cli = Path.Combine(RepositoryPaths.Output("Provisioning.Cli"), "provisioning-cli.dll");
            using var import = Process.Start(new ProcessStartInfo("dotnet", [cli, "import", sheet, "--broker", system.Broker.AmqpUri.ToString()]))!;
            try
            {
                await Wait.Until(() => Task.FromResult(import.HasExited || File.Exists(report) && File.ReadAllLines(report).Length > 50), TimeSpan.FromSeconds(60),
                    "the import to record some outcomes");
                Assert.False(import.HasExited, "the import finished before it could be killed");
            }
            finally
            {
                import.Kill(entireProcessTree: true);
                await import.WaitForExitAsync();
            }
            Assert.InRange(File.ReadAllLines(report).Length - 1, 51, 399);
        }
        finally
        {
            await system.Simulator.SetFaultsAsync(new FaultSettings());
        }

        var resumed = await ImportAsync(sheet, "--broker", system.Broker.AmqpUri.ToString(), "--timeout", "60");

        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        Assert.Contains("Resuming: ", resumed.Output, StringComparison.Ordinal);
        var rows = Report(report);
        Assert.Equal(Enumerable.Range(2, 400), rows.Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.Equal("MemberSynced", r[3]));
        var ledger = await system.Simulator.LedgerAsync();
        Assert.Equal(400, (await MembersAsync(prefix)).Count);
        Assert.All(ledger.CreateCalls.Where(c => c.Key.Contains(prefix, StringComparison.Ordinal)), c => Assert.Equal(1, c.Value));
    }

    [Fact]
    public async Task WhereNoQueueIsBound_PublishingIsRefused()
    {
        await using var empty = await TestBroker.CreateAsync(prefix: "unbound");
        var sheet = Sheet("unbound.csv", 3, invalidEvery: 0, out _);

        var noExchange = await ImportAsync(sheet, "--broker", empty.AmqpUri.ToString());

        Assert.Equal(ExitCodes.Broker, noExchange.ExitCode);
        Assert.Contains("nothing receives SyncMember commands", noExchange.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was published", noExchange.Error, StringComparison.Ordinal);

        // The exchange exists (a consumer ran once) but no queue is bound to it any more: the broker returns the command.
        var factory = new ConnectionFactory { Uri = empty.AmqpUri };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
            await channel.ExchangeDeclareAsync("Provisioning.Contracts:SyncMember", ExchangeType.Fanout, durable: true);

        var unbound = await ImportAsync(sheet, "--broker", empty.AmqpUri.ToString());

        Assert.Equal(ExitCodes.Broker, unbound.ExitCode);
        Assert.Contains("no queue is bound to the exchange 'Provisioning.Contracts:SyncMember'", unbound.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_BeforeAnythingFailed_SaysThereIsNothingToMove_AndExitsZero()
    {
        await using var empty = await TestBroker.CreateAsync(prefix: "noerrors");
        var (output, error) = (new StringWriter(), new StringWriter());

        var exitCode = await CliApp.RunAsync(["replay", "--all", "--broker", empty.AmqpUri.ToString()], output, error, interactive: false, CancellationToken.None);
        var json = new StringWriter();
        await CliApp.RunAsync(["replay", "--json", "--all", "--broker", empty.AmqpUri.ToString()], json, error, interactive: false, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal("create-member_error does not exist yet: nothing to move.", output.ToString().Trim());
        Assert.Equal("""{"event":"summary","queue":"create-member_error","exists":false,"moved":0,"kept":0}""", json.ToString().Trim());
        Assert.Empty(error.ToString());
    }

    [Fact]
    public async Task AWrongPassword_IsOneLine_WithoutThePassword()
    {
        var uri = new UriBuilder(system.Broker.AmqpUri) { Password = "not-the-password" }.Uri;

        var run = await ImportAsync(Sheet("password.csv", 1, 0, out _), "--broker", uri.ToString());

        Assert.Equal(ExitCodes.Broker, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("refused the login of user 'guest': wrong user name or password", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", line, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
