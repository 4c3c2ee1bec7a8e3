using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketStream.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketStream.BrowserTests;

/// <summary>
/// The page at / in a real Chromium against the real server: connecting, live prices, subscriptions,
/// the chart, a burst of updates, and the resume paths.
/// </summary>
public sealed class FrontEndTests(Chromium chromium)
{

    [Fact]
    public async Task Page_Loads_ConnectsAndPricesTickWithExactScale()
    {
        await using var server = await WebServer.StartAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;

        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD,USDJPY,AAPL&rate=0").ToString());
        await Expect(page.GetByTestId("conn-state")).ToHaveTextAsync("open");

        // Digits after the point are exactly the symbol's priceScale (universe: EURUSD 5, USDJPY 3, AAPL 2).
        var eurBid = Cell(page, "EURUSD", "bid");
        await Expect(eurBid).ToHaveTextAsync(ScaledPrice(5));
        await Expect(Cell(page, "USDJPY", "ask")).ToHaveTextAsync(ScaledPrice(3));
        await Expect(Cell(page, "AAPL", "last")).ToHaveTextAsync(ScaledPrice(2));

        // Prices tick: the cell's text changes while we watch.
        var first = await eurBid.TextContentAsync();
        await Expect(eurBid).Not.ToHaveTextAsync(first!, new() { Timeout = 10_000 });

        // Latency and the server's heartbeat figures are shown.
        await Expect(page.Locator("[data-stat=lat-p50]")).ToHaveTextAsync(new Regex(@"^-?\d+(\.\d+)? m?s$"));
        await Expect(page.Locator("[data-stat=hb-lag]")).ToHaveTextAsync(new Regex(@"^\d+ ms$"));
        await Expect(page.Locator("[data-stat=gaps]")).ToHaveTextAsync("0 · 0");
        Assert.Empty(browser.ConsoleErrors);

        // Chromium's own handshake (its extra headers included) is upgraded on the transport, not through HTTP.
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var sessions = await http.GetFromJsonAsync<JsonElement>("/api/sessions", TestContext.Current.CancellationToken);
        Assert.Equal(["Direct"], sessions.EnumerateArray().Select(s => s.GetProperty("upgrade").GetString()));
    }

    [Fact]
    public async Task Board_AddPatternThenRemove_RowsFollowSubscriptions()
    {
        await using var server = await WebServer.StartAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD").ToString());
        await Expect(Cell(page, "EURUSD", "bid")).ToHaveTextAsync(ScaledPrice(5));

        await page.FillAsync("#add-form input[name=symbols]", "GBP*");
        await page.SelectOptionAsync("#add-form select[name=mode]", "full");
        await page.SelectOptionAsync("#add-form select[name=rate]", "0");
        await page.ClickAsync("#add-form button[type=submit]");

        // GBP* expands to the universe's GBPUSD, GBPJPY and GBPCHF, each ticking with its own scale.
        var chip = page.Locator("#subs li[data-patterns='GBP*']");
        await Expect(chip).ToContainTextAsync("full");
        await Expect(chip).ToContainTextAsync("3 sym");
        await Expect(Cell(page, "GBPUSD", "bid")).ToHaveTextAsync(ScaledPrice(5));
        await Expect(Cell(page, "GBPJPY", "bid")).ToHaveTextAsync(ScaledPrice(3));
        await Expect(Cell(page, "GBPCHF", "bid")).ToHaveTextAsync(ScaledPrice(5));
        await Expect(page.Locator("#board-body tr")).ToHaveCountAsync(4);

        await chip.Locator("button.remove").ClickAsync();
        await Expect(page.Locator("#board-body tr[data-symbol^='GBP']")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(chip).ToHaveCountAsync(0);
        await Expect(page.Locator("#board-body tr")).ToHaveCountAsync(1);

        // The remaining symbol keeps ticking after the unsubscribe.
        var before = await Cell(page, "EURUSD", "bid").TextContentAsync();
        await Expect(Cell(page, "EURUSD", "bid")).Not.ToHaveTextAsync(before!, new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task Chart_SelectedSymbol_DrawsCandles()
    {
        await using var server = await WebServer.StartAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD,BTCUSD&rate=0&chart=BTCUSD").ToString());
        await Expect(page.Locator("#chart-title")).ToHaveTextAsync(new Regex("^BTCUSD"));

        // One-second candles: after a couple of seconds the series holds several.
        await page.WaitForFunctionAsync("() => window.marketstream.chart.pointCount() >= 3", null, new() { Timeout = 15_000 });

        // And they are on the canvas: pixels in the up/down candle colours.
        var coloured = await page.EvaluateAsync<int>(CountCandlePixelsScript);
        Assert.True(coloured > 50, $"expected candle pixels on the chart canvas, found {coloured}");

        // Selecting another row redraws the chart for it.
        await page.Locator("tr[data-symbol='EURUSD'] td.sym").ClickAsync();
        await Expect(page.Locator("#chart-title")).ToHaveTextAsync(new Regex("^EURUSD"));
        await page.WaitForFunctionAsync("() => window.marketstream.chart.pointCount() >= 1", null, new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task Burst_FullModeEverySymbol_PageKeepsRendering()
    {
        // 10,000 ticks/s over the whole universe in full mode: the page must apply them all and keep
        // painting (state per message, DOM once per animation frame, bounded repaints). The machine is
        // shared, so the bar is "never frozen", not 60 fps: no gap of a second between frames.
        await using var server = await WebServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Feeds:Synthetic:Rate"] = "10000" });
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD&rate=250").ToString());
        await Expect(Cell(page, "EURUSD", "bid")).ToHaveTextAsync(ScaledPrice(5));
        var (baselineFrames, _, _, _) = await MeasureAsync(page);

        await page.FillAsync("#add-form input[name=symbols]", "*");
        await page.SelectOptionAsync("#add-form select[name=mode]", "full");
        await page.SelectOptionAsync("#add-form select[name=rate]", "0");
        await page.ClickAsync("#add-form button[type=submit]");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var universe = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri("api/symbols", UriKind.Relative), TestContext.Current.CancellationToken)).RootElement.GetArrayLength();
        await Expect(page.Locator("#board-body tr")).ToHaveCountAsync(universe);
        await page.WaitForFunctionAsync("() => window.marketstream.market.counters.updates > 2000");

        var (frames, updates, elapsedMs, longestGapMs) = await MeasureAsync(page);
        var load = await page.Locator("[data-stat=load]").TextContentAsync();
        var report = $"{updates} updates and {frames} frames in {elapsedMs:F0} ms, longest frame gap {longestGapMs:F0} ms (before the burst: {baselineFrames} frames); main thread decode · render: {load}";
        Assert.True(updates > 4000, $"expected thousands of updates per second: {report}");
        Assert.True(frames >= 8 && longestGapMs < 1000, $"the page stopped painting: {report}");
        var busy = Regex.Match(load!, @"^(\d+)% · (\d+)%$");
        Assert.True(busy.Success && int.Parse(busy.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + int.Parse(busy.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) < 60, $"decoding and rendering should leave the main thread mostly idle: {report}");
        await Expect(page.Locator("[data-stat=gaps]")).ToHaveTextAsync(new Regex(@"^0 · \d+$"));
    }

    /// <summary>Animation frames, updates applied and the longest gap between frames during two seconds.</summary>
    private static async Task<(double Frames, double Updates, double ElapsedMs, double LongestGapMs)> MeasureAsync(IPage page)
    {
        var r = await page.EvaluateAsync<double[]>(
            """
            () => new Promise(resolve => {
              const m = window.marketstream.market.counters;
              const before = m.updates + m.folded;
              const t0 = performance.now();
              let frames = 0, last = t0, gap = 0;
              const tick = (t) => {
                frames++;
                gap = Math.max(gap, t - last);
                last = t;
                if (performance.now() - t0 < 2000) requestAnimationFrame(tick);
                else resolve([frames, m.updates + m.folded - before, performance.now() - t0, gap]);
              };
              requestAnimationFrame(tick);
            })
            """);
        return (r[0], r[1], r[2], r[3]);
    }

    /// <summary>
    /// Writes screenshot.png to a temporary folder, or to <c>MARKETSTREAM_SCREENSHOT_DIR</c> when set:
    /// scripts/refresh-screenshot.sh sets it to docs/, so a test run never changes a tracked file.
    /// </summary>
    [Fact]
    public async Task Screenshot_DefaultBoard_SavedAsPng()
    {
        await using var server = await WebServer.StartAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(server.BaseAddress.ToString());
        await Expect(page.GetByTestId("conn-state")).ToHaveTextAsync("open");
        await Expect(page.Locator("#board-body tr")).ToHaveCountAsync(12);
        await page.WaitForFunctionAsync("() => window.marketstream.chart.pointCount() >= 8", null, new() { Timeout = 20_000 });
        var target = Environment.GetEnvironmentVariable("MARKETSTREAM_SCREENSHOT_DIR");
        var directory = string.IsNullOrEmpty(target) ? Directory.CreateTempSubdirectory("marketstream-screenshot-").FullName : target;
        var path = Path.Combine(directory, "screenshot.png");
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
            Assert.True(new FileInfo(path).Length > 20_000);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(path)[..4]); // PNG signature
        }
        finally
        {
            if (string.IsNullOrEmpty(target))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    internal static ILocator Cell(IPage page, string symbol, string column) => page.Locator($"tr[data-symbol='{symbol}'] td.{column}");

    /// <summary>A positive price with exactly <paramref name="scale"/> decimals.</summary>
    internal static Regex ScaledPrice(int scale) => new($@"^\d+\.\d{{{scale}}}$");

    private const string CountCandlePixelsScript =
        """
        () => {
          let n = 0;
          for (const canvas of document.querySelectorAll('#chart canvas')) {
            if (!canvas.width || !canvas.height) continue;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < data.length; i += 4) {
              const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
              const up = Math.abs(r - 0x26) < 24 && Math.abs(g - 0xa6) < 24 && Math.abs(b - 0x9a) < 24;
              const down = Math.abs(r - 0xef) < 24 && Math.abs(g - 0x53) < 24 && Math.abs(b - 0x50) < 24;
              if (a > 200 && (up || down)) n++;
            }
          }
          return n;
        }
        """;
}
