using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MarketStream.LoadTest.Targets;

/// <summary>
/// A server started by the load tool as a child process (<c>dotnet &lt;dll&gt; --urls http://127.0.0.1:&lt;port&gt; …</c>),
/// so its CPU and memory are its own; its output goes to a log file in the run's results folder.
/// Disposing kills it (the whole process tree) and waits for it to exit.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, StreamWriter log, Uri baseUri)
    {
        _process = process;
        _log = log;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="dll"/> on a free loopback port and waits until <paramref name="readyPath"/> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(string dll, IReadOnlyList<string> settings, string readyPath, bool serverGc, string logPath, CancellationToken ct)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Server not built: {dll}. Build the solution in the same configuration first (dotnet build -c Release).", dll);
        }

        var port = FreeLoopbackPort();
        var baseUri = new Uri($"http://127.0.0.1:{port}/");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(baseUri.ToString().TrimEnd('/'));
        foreach (var s in settings)
        {
            psi.ArgumentList.Add(s);
        }

        // "Fair" (perf/notes/methodology.md): both servers run with the same GC settings, server GC by default.
        psi.Environment["DOTNET_gcServer"] = serverGc ? "1" : "0";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        // Socket tuning tried on the load generator's own receive loops (an A/B switch, perf/notes/methodology.md)
        // must not leak into the server under test: both servers always run with the runtime's defaults.
        psi.Environment.Remove(LoadTestApp.InlineCompletionsVariable);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        await log.WriteLineAsync($"# dotnet {string.Join(' ', psi.ArgumentList)} (DOTNET_gcServer={psi.Environment["DOTNET_gcServer"]})").ConfigureAwait(false);
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => WriteLog(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLog(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, baseUri);
        try
        {
            await server.WaitReadyAsync(readyPath, ct).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or it did not die in time: nothing more we can do from here.
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void WriteLog(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private async Task WaitReadyAsync(string readyPath, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was ready; see its log.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(readyPath, UriKind.Relative), ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"The server at {BaseUri} was not ready within 60 s.");
    }
}
