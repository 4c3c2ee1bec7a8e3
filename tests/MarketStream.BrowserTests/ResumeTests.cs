using System.Text.RegularExpressions;
using MarketStream.BrowserTests.Infrastructure;
using static MarketStream.BrowserTests.FrontEndTests;
using static Microsoft.Playwright.Assertions;

namespace MarketStream.BrowserTests;

/// <summary>Reconnect with backoff and resume by (epoch, seq) per symbol name (docs/protocol.md §2.4).</summary>
public sealed class ResumeTests(Chromium chromium)
{

    [Fact]
    public async Task ServerRestart_PageReconnects_ResumeAnsweredWithEpochReset()
    {
        await using var server = await WebServer.StartAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD,AAPL&rate=0").ToString());
        await Expect(Cell(page, "EURUSD", "bid")).ToHaveTextAsync(ScaledPrice(5));
        await Expect(Cell(page, "AAPL", "bid")).ToHaveTextAsync(ScaledPrice(2));
        await Expect(page.GetByTestId("reconnects")).ToHaveTextAsync("0");

        await server.StopAsync();
        await Expect(page.GetByTestId("conn-state")).ToHaveTextAsync("reconnecting");
        // A draining server says 1001 Going Away; a vanished one leaves 1006.
        await Expect(page.GetByTestId("last-close")).ToHaveTextAsync(new Regex("^(1001 GoingAway|1006 Abnormal)"));

        await server.RestartAsync();
        await Expect(page.GetByTestId("conn-state")).ToHaveTextAsync("open");
        await Expect(page.GetByTestId("reconnects")).ToHaveTextAsync("1");
        // Both positions were sent; the restarted server has a new epoch and none of the old history,
        // so each comes back as a Reset (§2.4: reason 1, 2 or 3) and nothing is replayed.
        await Expect(page.GetByTestId("resume")).ToHaveTextAsync(new Regex(@"^2 sent: 0 replayed, 2 reset \(2 (history unavailable|epoch changed|unknown position)\)$"));

        var bid = await Cell(page, "EURUSD", "bid").TextContentAsync();
        await Expect(Cell(page, "EURUSD", "bid")).Not.ToHaveTextAsync(bid!);
        await Expect(page.Locator("[data-stat=gaps]")).ToHaveTextAsync("0 · 0");
    }

    [Fact]
    public async Task DropAndResume_SameServer_ContinuesFromHistoryWithoutSnapshot()
    {
        await using var server = await WebServer.StartAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD,GBPUSD,AAPL&rate=0").ToString());
        foreach (var symbol in new[] { "EURUSD", "GBPUSD", "AAPL" })
        {
            await Expect(Cell(page, symbol, "bid")).ToHaveTextAsync(new Regex(@"^\d+\.\d+$"));
        }

        var snapshotsBefore = await page.EvaluateAsync<int>("() => window.marketstream.market.counters.snapshots");
        await page.ClickAsync("#reconnect");

        await Expect(page.GetByTestId("reconnects")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("conn-state")).ToHaveTextAsync("open");
        await Expect(page.GetByTestId("resume")).ToHaveTextAsync("3 sent: 3 replayed, 0 reset");
        Assert.Equal(snapshotsBefore, await page.EvaluateAsync<int>("() => window.marketstream.market.counters.snapshots"));
        await Expect(page.Locator("[data-stat=gaps]")).ToHaveTextAsync("0 · 0");
    }
}
