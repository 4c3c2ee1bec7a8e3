using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MarketStream.IntegrationTests.Faults;

/// <summary>
/// The real server binary (MarketStream.Server.dll, copied next to the tests) in a child process on
/// 127.0.0.1 with an OS-assigned port, so a test can send it SIGTERM as an orchestrator would.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri WebSocketUri => new($"ws://{BaseAddress.Authority}/ws");

    public bool HasExited => _process.HasExited;

    public static async Task<ServerProcess> StartAsync(params string[] settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "MarketStream.Server.dll"), "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Information", .. settings])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                // Keep draining stdout so the child never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return new ServerProcess(process, new Uri(match.Groups[1].Value + "/"));
            }
        }

        process.Kill();
        throw new InvalidOperationException("the server exited before listening");
    }

    /// <summary>Sends SIGTERM (graceful stop, docs/operations.md) and waits for the process to exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
