using System.Diagnostics;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.IntegrationTests.Ingest;

/// <summary>
/// examples/csharp/IngestPublisher, the program docs/feeds.md tells publishers to start from, run
/// as its own process against a real server: it authenticates, publishes, and prints the accepted
/// count and the refused tick (its deliberately crossed quote) with index and code.
/// </summary>
public sealed class IngestPublisherExampleTests
{
    [Fact]
    public async Task Example_AgainstRealServer_PrintsAcceptedCountAndRefusedTickWithIndexAndCode()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Feeds:Synthetic:Enabled"] = "false",
            ["MarketStream:Feeds:Ingest:Enabled"] = "true",
        });
        var token = server.Services.GetRequiredService<TokenService>().Issue("example", TokenRole.Publisher, [], TimeSpan.FromMinutes(5));
        var url = $"ws://{server.BaseAddress.Authority}/ingest";

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ExamplePath(), "--url", url, "--token", token })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        var text = await output;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {text} {await errors}");
        Assert.Contains("accepted 5 of 6", text, StringComparison.Ordinal);
        Assert.Contains("tick 5 (EURUSD) refused: CrossedQuote (5)", text, StringComparison.Ordinal);
    }

    /// <summary>The example's build output, same configuration as this test assembly.</summary>
    private static string ExamplePath()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/<tfm>
        var path = RepositoryRoot.Combine("examples", "csharp", "IngestPublisher", "bin", configuration, "net10.0", "IngestPublisher.dll");
        Assert.True(File.Exists(path), $"{path} not built");
        return path;
    }
}
