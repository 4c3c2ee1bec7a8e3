using MarketStream.Server.Hosting;

namespace MarketStream.Server.Tests.Hosting;

/// <summary><c>--open</c>: what the server makes of the desktop opener it runs (real processes: /bin/true, /bin/false).</summary>
public sealed class BrowserLauncherTests
{
    private const string Url = "http://127.0.0.1:5080/";

    [Fact]
    public async Task TryOpen_OpenerNotInstalled_SaysSo()
    {
        var failure = await BrowserLauncher.TryOpenAsync("marketstream-no-such-opener", Url, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal("marketstream-no-such-opener is not installed", failure);
    }

    [Fact]
    public async Task TryOpen_OpenerFails_ReportsItsExitCode()
    {
        var failure = await BrowserLauncher.TryOpenAsync("false", Url, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal("false exited with code 1", failure);
    }

    [Fact]
    public async Task TryOpen_OpenerSucceeds_NoFailure()
    {
        var failure = await BrowserLauncher.TryOpenAsync("true", Url, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Null(failure);
    }

    [Fact]
    public void NotOpenedLine_NamesTheReasonAndTheUrl()
    {
        var line = BrowserLauncher.NotOpenedLine("xdg-open exited with code 3", Url);

        Assert.Equal("--open: no browser could be opened (xdg-open exited with code 3); open http://127.0.0.1:5080/ yourself.", line);
        Assert.DoesNotContain('\n', line);
    }
}
