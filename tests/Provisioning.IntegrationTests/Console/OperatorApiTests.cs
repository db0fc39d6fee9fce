using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provisioning.Consumer.Operator;
using Provisioning.Storage.RequestLog;
using Provisioning.Contracts;
using Provisioning.IntegrationTests.Infrastructure;
using Provisioning.WeComSimulator;

namespace Provisioning.IntegrationTests.Console;

/// <summary>The HTTP API over the real broker, simulator and log: who may do what, filters, masking, the retry path as the log tells it.</summary>
public sealed class OperatorApiTests(OperatorSystem system) : IClassFixture<OperatorSystem>
{
    static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    async Task<RequestDetail> LoggedWhen(Guid requestId, string status)
    {
        using var client = system.Client(OperatorSystem.ReaderKey);
        RequestDetail? detail = null;
        await Wait.Until(async () =>
        {
            var response = await client.GetAsync($"/api/requests/{requestId}");
            detail = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RequestDetail>(Json) : null;
            return detail?.Request.Status == status;
        }, TimeSpan.FromSeconds(60), $"request {requestId} to be {status} in the log");
        return detail!;
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-a-key-of-ours-0123456789", HttpStatusCode.Unauthorized)]
    [InlineData(OperatorSystem.ReaderKey, HttpStatusCode.OK)]
    [InlineData(OperatorSystem.OperatorKey, HttpStatusCode.OK)]
    public async Task Reading_NeedsAValidKey(string? key, HttpStatusCode expected)
    {
        using var client = system.Client(key);

        Assert.Equal(expected, (await client.GetAsync("/api/requests")).StatusCode);
        Assert.Equal(expected, (await client.GetAsync("/api/enterprises")).StatusCode);
    }

    [Fact]
    public async Task BearerKey_IsAcceptedLikeTheHeader()
    {
        using var client = system.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", OperatorSystem.ReaderKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/dead-letters")).StatusCode);
    }

    [Fact]
    public async Task Acting_NeedsTheOperatorRole_AndABody()
    {
        using var reader = system.Client(OperatorSystem.ReaderKey);
        using var anonymous = system.Client();
        using var operatorClient = system.Client(OperatorSystem.OperatorKey);
        var body = new { requestIds = new[] { Guid.NewGuid() } };

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/dead-letters/replay", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/held/release", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/dead-letters/replay", body)).StatusCode);
        var empty = await operatorClient.PostAsJsonAsync("/api/dead-letters/replay", new { requestIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("requestIds", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A form post (what a cross-site page can send without asking) is not accepted.
        var form = await operatorClient.PostAsync("/api/dead-letters/replay", new FormUrlEncodedContent([new("requestIds", Guid.NewGuid().ToString())]));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }

    [Fact]
    public async Task ConsoleActions_WithoutTheAntiforgeryToken_AreRefused()
    {
        using var operatorClient = system.Client(OperatorSystem.OperatorKey);

        var response = await operatorClient.PostAsync("/console/act/replay", new FormUrlEncodedContent([new("requestId", Guid.NewGuid().ToString())]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(system.Consumer.Logs.Lines, l => l.Contains("Audit:", StringComparison.Ordinal) && l.Contains("replay", StringComparison.Ordinal) && l.Contains("otto", StringComparison.Ordinal) && l.Contains("moved 0 of 1", StringComparison.Ordinal));
    }

    /// <summary>
    /// Issue 20: a sign-in link cannot send the operator to another site or break the answer's headers. Before, the tab
    /// case answered <c>Location: /\t/evil.example/x</c> (browsers drop the tab: <c>//evil.example/x</c>) and the CR LF case
    /// answered 500 after the audit had said "signed in".
    /// </summary>
    [Theory]
    [InlineData("/\t/evil.example/x", "/console")]
    [InlineData("/\n/evil.example/x", "/console")]
    [InlineData("/console\r\nSet-Cookie: planted=1", "/console")]
    [InlineData("//evil.example/x", "/console")]
    [InlineData("/\\evil.example/x", "/console")]
    [InlineData("https://evil.example/x", "/console")]
    [InlineData("", "/console")]
    [InlineData("/console/requests?status=failed", "/console/requests?status=failed")]
    public async Task SignIn_SendsBackOnlyToAPathOfThisSite(string returnUrl, string expected)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = system.Consumer.BaseAddress };
        var page = await browser.GetStringAsync("/console/login");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"").Groups["token"].Value;
        Assert.NotEmpty(token);

        using var response = await browser.PostAsync("/console/login", new FormUrlEncodedContent([
            new("__RequestVerificationToken", token), new("key", OperatorSystem.OperatorKey), new("returnUrl", returnUrl)]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("planted", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ConsolePages_SendABrowserWithoutAKeyToSignIn()
    {
        using var anonymous = system.Client();

        var response = await anonymous.GetAsync("/console/requests/" + Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/console/login?returnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single().Split("; ").Single(p => p.StartsWith("frame", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Issue 20: a right-to-left override (U+202E) in a name was shown raw, so the table cell read reversed. The console
    /// shows every invisible formatting character as text instead; the API still answers the name as stored.
    /// </summary>
    [Fact]
    public async Task ConsolePages_ShowBidiOverridesAsText()
    {
        var command = ProvisioningSystem.NewCommand("bidi") with { Name = "张三\u202Egpj.exe" };
        await system.Publisher.PublishAsync(command);
        await LoggedWhen(command.RequestId, RequestStatuses.Succeeded);
        using var client = system.Client(OperatorSystem.ReaderKey);

        var page = await client.GetStringAsync($"/console/requests/{command.RequestId}");

        // "[U+202E]" as the browser shows it (the encoder writes "+" as &#x2B;).
        Assert.Contains("张三[U&#x2B;202E]gpj.exe", page, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", page, StringComparison.Ordinal);
        Assert.DoesNotContain("&#x202E;", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task List_FiltersAndPages_AndExplainsABadFilter()
    {
        var conflicting = ProvisioningSystem.NewCommand("apiconflict");
        await system.Publisher.PublishAsync(conflicting);
        await system.Outcomes.CreatedFor(conflicting.RequestId);
        var taken = ProvisioningSystem.NewCommand("apitaken") with { Mobile = conflicting.Mobile };
        await system.Publisher.PublishAsync(taken);
        await LoggedWhen(taken.RequestId, RequestStatuses.Failed);
        using var client = system.Client(OperatorSystem.ReaderKey);

        var page = await client.GetFromJsonAsync<RequestPage>($"/api/requests?userId=APITAKEN&status=failed&reason=Conflict&errCode=60104&pageSize=10", Json);
        var bad = await client.GetAsync("/api/requests?status=exploded");
        var tooBig = await client.GetAsync("/api/requests?pageSize=100000");

        var entry = Assert.Single(page!.Items);
        Assert.Equal(taken.RequestId, entry.RequestId);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("status must be one of", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("pageSize", await tooBig.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAnswer_HoldsAMobileOrEmailInClear_OrTheCorpSecret()
    {
        var command = ProvisioningSystem.NewCommand("apimask") with { Email = "apimask.person@example.com" };
        await system.Publisher.PublishAsync(command);
        await LoggedWhen(command.RequestId, RequestStatuses.Succeeded);
        using var client = system.Client(OperatorSystem.OperatorKey);

        var answers = new List<string>();
        foreach (var path in new[] { $"/api/requests/{command.RequestId}", $"/api/requests?userId={command.UserId}", $"/api/members/{command.UserId}/history",
            "/api/enterprises", $"/console/requests/{command.RequestId}", $"/console?userId={command.UserId}", $"/console/people/{command.UserId}", "/console/enterprises" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.All(answers, answer =>
        {
            Assert.DoesNotContain(command.Mobile!, answer, StringComparison.Ordinal);
            Assert.DoesNotContain("apimask.person", answer, StringComparison.Ordinal);
            Assert.DoesNotContain(system.Simulator.Secret, answer, StringComparison.Ordinal);
        });
        Assert.Contains(command.Mobile![..3] + "****" + command.Mobile[^4..], answers[0], StringComparison.Ordinal);
        Assert.Contains("a***@example.com", answers[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParkedThenCreated_ShowsTheParkingInItsHistory()
    {
        var command = ProvisioningSystem.NewCommand("apipark");
        await system.Simulator.SetFaultsAsync(new FaultSettings { Down = true });
        try
        {
            await system.Publisher.PublishAsync(command);
            await LoggedWhen(command.RequestId, RequestStatuses.Parked);
        }
        finally
        {
            await system.Simulator.SetFaultsAsync(new FaultSettings());
        }

        var detail = await LoggedWhen(command.RequestId, RequestStatuses.Succeeded);

        Assert.True(detail.Request.ParkingTier >= 1);
        Assert.True(detail.Request.Deliveries >= 2);
        Assert.Contains(detail.Steps, s => s.Kind == RequestEventKinds.Parked && s.Detail!.Contains("retry tier 1", StringComparison.Ordinal));
        Assert.Contains(detail.Steps, s => s.Kind == RequestEventKinds.Received && s.Detail!.Contains("back from retry tier", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetriesExhausted_IsADeadLetter_AnOperatorReplaysIt_AndTheAuditLogSaysWho()
    {
        var command = ProvisioningSystem.NewCommand("apidead");
        await system.Simulator.SetFaultsAsync(new FaultSettings { BusyRate = 1.0 });
        try
        {
            await system.Publisher.PublishAsync(command);
            var dead = await LoggedWhen(command.RequestId, RequestStatuses.DeadLettered);
            Assert.Equal((FailureReasons.RetriesExhausted, -1), (dead.Request.Reason, dead.Request.ErrCode));
        }
        finally
        {
            await system.Simulator.SetFaultsAsync(new FaultSettings());
        }
        using var reader = system.Client(OperatorSystem.ReaderKey);
        using var operatorClient = system.Client(OperatorSystem.OperatorKey);
        await Wait.Until(async () => (await reader.GetFromJsonAsync<List<WaitingCommand>>("/api/dead-letters", Json))!.Any(d => d.RequestId == command.RequestId),
            TimeSpan.FromSeconds(30), "the command among the dead letters");

        var replay = await operatorClient.PostAsJsonAsync("/api/dead-letters/replay", new { requestIds = new[] { command.RequestId } });
        var result = await replay.Content.ReadFromJsonAsync<MoveResult>(Json);
        var detail = await LoggedWhen(command.RequestId, RequestStatuses.Succeeded);

        Assert.Equal([command.RequestId], result!.Moved);
        Assert.NotNull(detail.Request.DeadLetteredAt);
        Assert.Contains(detail.Steps, s => s.Kind == RequestEventKinds.Received && s.Detail!.Contains("put back from create-member_error by an operator", StringComparison.Ordinal));
        Assert.Single((await system.Simulator.LedgerAsync()).Members, m => m.UserId == command.UserId);
        var audit = await reader.GetFromJsonAsync<List<AuditEntry>>("/api/audit", Json);
        Assert.Contains(audit!, a => a is { Actor: "otto-operator", Role: "operator", Action: "replay" } && a.Target == command.RequestId.ToString() && a.Result == "moved 1 of 1");
    }

    [Fact]
    public async Task CliStatus_TellsWhatHappenedToARequestAndToAPerson()
    {
        var created = ProvisioningSystem.NewCommand("clistatus");
        await system.Publisher.PublishAsync(created);
        await LoggedWhen(created.RequestId, RequestStatuses.Succeeded);
        var taken = ProvisioningSystem.NewCommand("clistatustaken") with { Mobile = created.Mobile };
        await system.Publisher.PublishAsync(taken);
        await LoggedWhen(taken.RequestId, RequestStatuses.Failed);
        var api = system.Consumer.BaseAddress!.ToString();

        async Task<(int Code, string Output)> Status(params string[] args)
        {
            var output = new StringWriter();
            var code = await Provisioning.Cli.CliApp.RunAsync(["status", .. args, "--api", api], output, default);
            return (code, output.ToString());
        }

        var noKey = await Status(created.UserId);
        Environment.SetEnvironmentVariable("PROVISIONING_API_KEY", OperatorSystem.ReaderKey);
        try
        {
            var person = await Status(created.UserId);
            var failed = await Status(taken.RequestId.ToString());
            var unknown = await Status(Guid.NewGuid().ToString());

            Assert.Equal(4, noKey.Code);
            Assert.Contains("PROVISIONING_API_KEY", noKey.Output, StringComparison.Ordinal);
            Assert.Equal(0, person.Code);
            Assert.Contains("create  succeeded", person.Output, StringComparison.Ordinal);
            Assert.Equal(1, failed.Code);
            Assert.Contains($"create of {taken.UserId} ({taken.Name}) in {ProvisioningSystemCorp}: failed — Conflict (errcode 60104)", failed.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(taken.Mobile!, failed.Output, StringComparison.Ordinal);
            Assert.Equal(1, unknown.Code);
            Assert.Contains("no request", unknown.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PROVISIONING_API_KEY", null);
        }
    }

    [Fact]
    public async Task HeldDisables_AreInTheLogAndTheHeldList_AndAnOperatorReleasesOneAndRejectsTheOther()
    {
        var staff = new[] { ProvisioningSystem.NewCommand("heldA"), ProvisioningSystem.NewCommand("heldB"), ProvisioningSystem.NewCommand("heldC") };
        foreach (var member in staff)
        {
            await system.Publisher.PublishAsync(member);
            await system.Outcomes.CreatedFor(member.RequestId);
        }
        var leavers = staff.Select(m => new DisableMember { RequestId = Guid.NewGuid(), UserId = m.UserId }).ToList();
        foreach (var leaver in leavers)
            await system.Publisher.PublishAsync(leaver);
        using var reader = system.Client(OperatorSystem.ReaderKey);
        using var operatorClient = system.Client(OperatorSystem.OperatorKey);
        List<WaitingCommand> held = [];
        await Wait.Until(async () =>
        {
            held = [.. (await reader.GetFromJsonAsync<List<WaitingCommand>>("/api/held", Json))!.Where(h => leavers.Any(l => l.RequestId == h.RequestId))];
            return held.Count >= 2;
        }, TimeSpan.FromSeconds(60), "two disables to be held");
        foreach (var h in held)
            await LoggedWhen(h.RequestId!.Value, RequestStatuses.Held);
        var enterprises = await reader.GetFromJsonAsync<List<EnterpriseState>>("/api/enterprises", Json);
        Assert.True(Assert.Single(enterprises!).HeldRemovals >= 2);

        var released = await operatorClient.PostAsJsonAsync("/api/held/release", new { requestIds = new[] { held[0].RequestId } });
        var rejected = await operatorClient.PostAsJsonAsync("/api/held/reject", new { requestIds = new[] { held[1].RequestId } });

        Assert.Equal([held[0].RequestId!.Value], (await released.Content.ReadFromJsonAsync<MoveResult>(Json))!.Moved);
        Assert.Equal([held[1].RequestId!.Value], (await rejected.Content.ReadFromJsonAsync<MoveResult>(Json))!.Moved);
        var applied = await LoggedWhen(held[0].RequestId!.Value, RequestStatuses.Succeeded);
        var refused = await LoggedWhen(held[1].RequestId!.Value, RequestStatuses.Failed);
        Assert.Contains(applied.Steps, s => s.Kind == RequestEventKinds.Held);
        Assert.Contains(applied.Steps, s => s.Detail?.Contains("released by an operator", StringComparison.Ordinal) == true);
        Assert.Equal(FailureReasons.NotAllowed, refused.Request.Reason);
    }

    static string ProvisioningSystemCorp => Simulator.CorpId;
}
