using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MarketStream.Server.Hosting;

/// <summary>
/// Opens the web front-end once the server listens (the README's run command passes
/// <c>--open</c>). Where no desktop opener exists (a headless box, CI) it only prints the URL.
/// </summary>
internal static partial class BrowserLauncher
{
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

            Console.WriteLine($"MarketStream web front-end: {url}/");
            foreach (var opener in (ReadOnlySpan<string>)["xdg-open", "open"])
            {
                if (TryStart(opener, url + "/"))
                {
                    return;
                }
            }

            Log.NoOpener(app.Logger, url + "/");
        });
    }

    private static bool TryStart(string opener, string url)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(opener, url) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "No desktop browser opener found; open {Url} yourself")]
        public static partial void NoOpener(ILogger logger, string url);
    }
}
