using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MarketStream.BrowserTests.Infrastructure;
using MarketStream.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using static MarketStream.BrowserTests.FrontEndTests;
using static Microsoft.Playwright.Assertions;

namespace MarketStream.BrowserTests;

/// <summary>Entitlements and token auth as the page meets them (docs/protocol.md §1.3, §5).</summary>
public sealed class SecurityTests(Chromium chromium)
{

    [Fact]
    public async Task AnonymousLimitedToEur_AddAapl_ShowsError2003()
    {
        // Set in code: configuration binding appends to the list's default ["*"] rather than replacing it.
        await using var server = await WebServer.StartAsync(services: s => s.PostConfigure<AuthOptions>(o =>
        {
            o.AnonymousPatterns.Clear();
            o.AnonymousPatterns.Add("EUR*");
        }));
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD").ToString());
        await Expect(Cell(page, "EURUSD", "bid")).ToHaveTextAsync(ScaledPrice(5));

        await page.FillAsync("#add-form input[name=symbols]", "AAPL");
        await page.ClickAsync("#add-form button[type=submit]");

        await Expect(page.Locator("#log li[data-code='2003']")).ToContainTextAsync("Error 2003 NotEntitled");
        await Expect(page.Locator("#subs li[data-patterns='AAPL']")).ToContainTextAsync("error 2003");
        await Expect(page.Locator("tr[data-symbol='AAPL']")).ToHaveCountAsync(0);
        // The entitled subscription is unaffected.
        var bid = await Cell(page, "EURUSD", "bid").TextContentAsync();
        await Expect(Cell(page, "EURUSD", "bid")).Not.ToHaveTextAsync(bid!);
    }

    [Fact]
    public async Task RequiredAuth_TokenInHandshake_ConnectsAsSubjectAndDeniesOtherSymbols()
    {
        await using var server = await WebServer.StartAsync(RequiredAuth());
        var token = server.Services.GetRequiredService<TokenService>().Issue("trader-7", TokenRole.Subscriber, ["EUR*"], TimeSpan.FromMinutes(10));
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, $"?symbols=EURUSD&token={token}").ToString());

        await Expect(page.Locator("#conn-session")).ToContainTextAsync("trader-7");
        await Expect(Cell(page, "EURUSD", "bid")).ToHaveTextAsync(ScaledPrice(5));

        await page.FillAsync("#add-form input[name=symbols]", "AAPL");
        await page.ClickAsync("#add-form button[type=submit]");
        await Expect(page.Locator("#log li[data-code='2003']")).ToContainTextAsync("NotEntitled");
    }

    [Fact]
    public async Task RequiredAuth_NoTokenAndNoDevEndpoint_ShowsAuthRequiredThenClose4005()
    {
        var settings = RequiredAuth();
        settings["MarketStream:Auth:AuthenticateTimeout"] = "00:00:01";
        await using var server = await WebServer.StartAsync(settings);
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD").ToString());

        await Expect(page.Locator("#log li[data-code='2000']")).ToContainTextAsync("AuthenticationRequired");
        await Expect(page.GetByTestId("last-close")).ToHaveTextAsync(new Regex("^4005 AuthenticationTimeout"));
        await Expect(page.Locator("tr[data-symbol='EURUSD']")).ToHaveCountAsync(0);
    }

    private static Dictionary<string, string?> RequiredAuth() => new()
    {
        ["MarketStream:Auth:Mode"] = "Required",
        ["MarketStream:Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["MarketStream:Auth:DevTokenEndpoint"] = "false",
    };
}
