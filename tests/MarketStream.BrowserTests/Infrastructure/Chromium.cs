using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(MarketStream.BrowserTests.Infrastructure.Chromium))]

// The machine has two cores and the server runs in the test process: one page at a time keeps the
// timings the tests rely on (ticks, reconnect) honest.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace MarketStream.BrowserTests.Infrastructure;

/// <summary>
/// One headless Chromium for the whole test assembly: Debian's <c>/usr/bin/chromium</c> (installed by
/// scripts/install-deps.sh), launched through Playwright without Playwright's own browser download.
/// Each test gets a fresh context (no shared storage).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Overridable for other machines: MARKETSTREAM_CHROMIUM=/path/to/chromium.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("MARKETSTREAM_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium not found at {ExecutablePath}: run scripts/install-deps.sh (Debian package 'chromium').");
        }

        // Live data over a real socket on a shared 2-core machine: allow more than Playwright's 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A new page in its own context, 1440×900, console errors collected.</summary>
    public async Task<BrowserPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        var result = new BrowserPage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                result.ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => result.ConsoleErrors.Add(error);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
