using Microsoft.Playwright;
using Provisioning.IntegrationTests.Infrastructure;
using Provisioning.WeComSimulator;

namespace Provisioning.IntegrationTests.Console;

/// <summary>
/// The console in a real headless browser (Debian's chromium, driven by Playwright; scripts/install-chromium.sh): sign
/// in with an operator key, find a failed request by userid and read its reason, replay a dead letter and see it
/// succeed. With CONSOLE_SCREENSHOTS set to a folder, the pages are saved there (the README's screenshots).
/// </summary>
public sealed class ConsoleBrowserTests(OperatorSystem system) : IClassFixture<OperatorSystem>, IAsyncLifetime
{
    const string Chromium = "/usr/bin/chromium";
    IPlaywright _playwright = null!;
    IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run scripts/install-chromium.sh");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // This machine's network is closed: without these, Chromium keeps trying to reach Google's services.
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    static Task UntilShown(IPage page, ILocator locator, string what) =>
        Wait.Until(async () =>
        {
            if (await locator.CountAsync() > 0)
                return true;
            await page.ReloadAsync();
            return await locator.CountAsync() > 0;
        }, TimeSpan.FromSeconds(60), what);

    [Fact]
    public async Task AnOperator_FindsAFailedRequestByUserid_ReadsWhy_AndReplaysADeadLetterUntilItSucceeds()
    {
        // A member created, another whose mobile is taken (Conflict), and one WeCom keeps refusing (dead-lettered).
        var first = ProvisioningSystem.NewCommand("web-ok") with { Name = "张三" };
        await system.Publisher.PublishAsync(first);
        await system.Outcomes.CreatedFor(first.RequestId);
        var taken = ProvisioningSystem.NewCommand("web-taken") with { Name = "李四", Mobile = first.Mobile };
        await system.Publisher.PublishAsync(taken);
        await system.Outcomes.FailedFor(taken.RequestId);
        var dead = ProvisioningSystem.NewCommand("web-dead") with { Name = "王五" };
        await system.Simulator.SetFaultsAsync(new FaultSettings { BusyRate = 1.0 });
        try
        {
            await system.Publisher.PublishAsync(dead);
            await system.Outcomes.FailedFor(dead.RequestId);
        }
        finally
        {
            await system.Simulator.SetFaultsAsync(new FaultSettings());
        }

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        // Generous for a loaded CI machine; the pages are server-rendered, so what is not there yet needs a reload (below).
        page.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(15_000);
        var console = new Uri(system.Consumer.BaseAddress!, "/console").ToString();

        // Signing in: no key, no console.
        await page.GotoAsync(console);
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("API key").FillAsync(OperatorSystem.OperatorKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/console", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("header .who")).ToContainTextAsync("otto-operator");
        await ScreenshotAsync(page, "requests");

        // Finding the failed request by its userid, and why it failed.
        await page.GetByLabel("Userid starts with").FillAsync(taken.UserId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var row = page.Locator("table.requests tbody tr");
        // The log is written in the background, a moment after the outcome: the page shows it once reloaded.
        await UntilShown(page, row, "the failed request in the filtered list");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("failed");
        await Assertions.Expect(row).ToContainTextAsync("Conflict");
        await Assertions.Expect(row).ToContainTextAsync("李四");
        await row.Locator("a").First.ClickAsync();
        await Assertions.Expect(page.Locator("dd.reason")).ToHaveTextAsync("Conflict (errcode 60104)");
        await Assertions.Expect(page.Locator("dd.detail")).ToContainTextAsync("mobile existed");
        await ScreenshotAsync(page, "request");

        // The dead letter, replayed from the console, then succeeded.
        await page.GetByRole(AriaRole.Link, new() { Name = "Dead letters & held" }).ClickAsync();
        var letter = page.Locator("tr", new() { HasText = dead.RequestId.ToString() });
        // The outcome is published just before the message is moved to the error queue.
        await UntilShown(page, letter, "the dead letter in its table");
        await Assertions.Expect(letter).ToContainTextAsync(dead.UserId);
        await ScreenshotAsync(page, "dead-letters");
        await letter.Locator("input[type=checkbox]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay selected" }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("1 of 1 replayed.");

        await page.GotoAsync(new Uri(system.Consumer.BaseAddress!, $"/console/requests/{dead.RequestId}").ToString());
        await Wait.Until(async () =>
        {
            await page.ReloadAsync();
            return (await page.Locator("dd .status").InnerTextAsync()) == "succeeded";
        }, TimeSpan.FromSeconds(60), "the replayed request to succeed on its page");
        await Assertions.Expect(page.Locator("table.steps")).ToContainTextAsync("put back from create-member_error by an operator");
        await ScreenshotAsync(page, "replayed");
        Assert.Single((await system.Simulator.LedgerAsync()).Members, m => m.UserId == dead.UserId);

        // The enterprises page, for the README.
        await page.GetByRole(AriaRole.Link, new() { Name = "Enterprises" }).ClickAsync();
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("usable");
        await ScreenshotAsync(page, "enterprises");
        await context.CloseAsync();
    }
}
