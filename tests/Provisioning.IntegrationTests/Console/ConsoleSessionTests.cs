using System.Net;
using System.Text.RegularExpressions;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Console;

/// <summary>
/// A console session lasts only as long as the key it was opened with (issue 20, defect 3): the session cookie is kept
/// across restarts (the keys that protect it are on disk), so a restart with the same key keeps it, and a restart with the
/// key rotated (same holder and role, new value) ends it. Before, the old cookie still read the audit after the rotation
/// while the old key itself got 401.
/// </summary>
public sealed partial class ConsoleSessionTests() : SystemPerTest(new SystemOptions { Consumer = false, Clients = false })
{
    const string OldKey = "operator-key-old-0123456789abcdef";
    const string NewKey = "operator-key-new-0123456789abcdef";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    Dictionary<string, string?> Settings(string key) => new()
    {
        ["Operator:AllowLocalWithoutKey"] = "false",
        ["Operator:KeysPath"] = Path.Combine(Sys.Folder, "console-keys"),
        // The same stores across the restarts: an ended session is recorded in the provisioning log's store.
        ["Storage:SqlitePath"] = Path.Combine(Sys.Folder, "idempotency.db"),
        ["Storage:RequestLog:SqlitePath"] = Path.Combine(Sys.Folder, "provisioning-log.db"),
        ["Operator:ApiKeys:0:Name"] = "otto-operator",
        ["Operator:ApiKeys:0:Key"] = key,
        ["Operator:ApiKeys:0:Role"] = "operator",
    };

    /// <summary>Signs in on the console's form as a browser would; returns the browser and its session cookie (name=value).</summary>
    static async Task<(HttpClient Browser, string Cookie)> SignInAsync(ConsumerHost consumer, string key)
    {
        var cookies = new CookieContainer();
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = consumer.BaseAddress };
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/console/login")).Groups["token"].Value;
        using var response = await browser.PostAsync("/console/login", new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("key", key)]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var session = cookies.GetCookies(consumer.BaseAddress!).Single(c => c.Name == ".Provisioning.Console");
        return (browser, $"{session.Name}={session.Value}");
    }

    static async Task<HttpStatusCode> AuditWithAsync(ConsumerHost consumer, string cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = consumer.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/audit");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task ASession_OutlivesARestartWithItsKey_ButNotTheKeyRotated()
    {
        var first = await Sys.StartConsumerAsync(Settings(OldKey), web: true);
        var (browser, cookie) = await SignInAsync(first, OldKey);
        browser.Dispose();
        Assert.Equal(HttpStatusCode.OK, await AuditWithAsync(first, cookie));
        await first.DisposeAsync();

        // The same key after a restart: the session holds (the cookie's protection keys are on disk).
        var again = await Sys.StartConsumerAsync(Settings(OldKey), web: true);
        Assert.Equal(HttpStatusCode.OK, await AuditWithAsync(again, cookie));
        await again.DisposeAsync();

        // Rotated: same holder, same role, a new value. The old session ends; a session with the new key works.
        var rotated = await Sys.StartConsumerAsync(Settings(NewKey), web: true);
        Assert.Equal(HttpStatusCode.Unauthorized, await AuditWithAsync(rotated, cookie));
        var (newBrowser, newCookie) = await SignInAsync(rotated, NewKey);
        using (newBrowser)
            Assert.Equal(HttpStatusCode.OK, await AuditWithAsync(rotated, newCookie));
    }

    /// <summary>
    /// Issue 20, defect 4: signing out ends the session on the server. Before, a copy of the cookie taken before the
    /// sign-out kept working until it expired (8 hours, sliding).
    /// </summary>
    [Fact]
    public async Task SigningOut_EndsTheSession_ForACopyOfItsCookieToo()
    {
        var consumer = await Sys.StartConsumerAsync(Settings(OldKey), web: true);
        var (browser, copied) = await SignInAsync(consumer, OldKey);
        using (browser)
        {
            var (other, otherSession) = await SignInAsync(consumer, OldKey);
            other.Dispose();
            Assert.Equal(HttpStatusCode.OK, await AuditWithAsync(consumer, copied));

            var token = AntiforgeryToken().Match(await browser.GetStringAsync("/console")).Groups["token"].Value;
            using var signOut = await browser.PostAsync("/console/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

            Assert.Equal(HttpStatusCode.Unauthorized, await AuditWithAsync(consumer, copied));
            // Only that session: another one of the same key goes on.
            Assert.Equal(HttpStatusCode.OK, await AuditWithAsync(consumer, otherSession));
        }
        // And after a restart (the end is stored, not kept in memory).
        await consumer.DisposeAsync();
        var again = await Sys.StartConsumerAsync(Settings(OldKey), web: true);
        Assert.Equal(HttpStatusCode.Unauthorized, await AuditWithAsync(again, copied));
    }
}
