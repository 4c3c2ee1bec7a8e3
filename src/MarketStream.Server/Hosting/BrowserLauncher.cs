using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MarketStream.Server.Hosting;

/// <summary>
/// Opens the web front-end once the server listens (the README's run command passes
/// <c>--open</c>). Where no browser can be opened (a headless box, CI) it prints one line saying so.
/// </summary>
internal static class BrowserLauncher
{
    /// <summary>How long an opener may run before it counts as having started a browser (xdg-open returns at once when it fails).</summary>
    private static readonly TimeSpan OpenerWait = TimeSpan.FromSeconds(5);

    /// <summary>The desktop's URL opener: macOS <c>open</c>; elsewhere <c>xdg-open</c> (Debian's <c>open</c> is openvt).</summary>
    internal static string DesktopOpener => OperatingSystem.IsMacOS() ? "open" : "xdg-open";

    public static void OpenWhenStarted(WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var url = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses?.FirstOrDefault();
            if (url is null)
            {
                return;
            }

            url += "/";
            Console.WriteLine($"MarketStream web front-end: {url}");
            // Off the start-up callback: waiting for the opener must not hold up the server.
            _ = Task.Run(async () =>
            {
                var failure = await TryOpenAsync(DesktopOpener, url, OpenerWait, app.Lifetime.ApplicationStopping).ConfigureAwait(false);
                if (failure is not null)
                {
                    Console.WriteLine(NotOpenedLine(failure, url));
                }
            });
        });
    }

    /// <summary>The one line printed when no browser could be opened.</summary>
    internal static string NotOpenedLine(string failure, string url) => $"--open: no browser could be opened ({failure}); open {url} yourself.";

    /// <summary>
    /// Runs <paramref name="opener"/> with <paramref name="url"/>. Null when it took the URL (exit code 0, or
    /// still running after <paramref name="wait"/>, as an opener that starts the browser itself does); otherwise why not.
    /// </summary>
    internal static async Task<string?> TryOpenAsync(string opener, string url, TimeSpan wait, CancellationToken cancellationToken)
    {
        Process? process;
        try
        {
            process = Process.Start(new ProcessStartInfo(opener, url) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{opener} is not installed";
        }

        if (process is null)
        {
            return $"{opener} did not start";
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            return process.ExitCode == 0 ? null : $"{opener} exited with code {process.ExitCode}";
        }
    }
}
