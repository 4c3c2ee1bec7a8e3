using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>
/// A real <c>nats-server</c> (Debian package, scripts/install-deps.sh) on 127.0.0.1 with a free
/// port, started by the test and killed by it. <see cref="RestartAsync"/> kills it and starts a
/// new one on the same port, so clients reconnect to the same URL.
/// </summary>
public sealed class NatsServerProcess : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nats-server";

    private Process? _process;

    private NatsServerProcess(int port) => Port = port;

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<NatsServerProcess> StartAsync()
    {
        var server = new NatsServerProcess(FreePort());
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>A port the OS just handed out on 127.0.0.1 (free at the time of asking).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task RestartAsync()
    {
        Kill();
        await StartProcessAsync();
    }

    private async Task StartProcessAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run scripts/install-deps.sh (apt package nats-server).");
        }

        var info = new ProcessStartInfo(Executable, ["-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("nats-server did not start");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
