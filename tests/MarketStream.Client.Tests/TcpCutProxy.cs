using System.Net;
using System.Net.Sockets;

namespace MarketStream.Client.Tests;

/// <summary>
/// A TCP forwarder on 127.0.0.1 between the client and a real server, so a test can drop connections the
/// way a network does (no close frame: the client sees 1006), refuse new ones for a while, or point new
/// connections at another server (a restart with a new epoch).
/// </summary>
internal sealed class TcpCutProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _sync = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accept;
    private volatile bool _refusing;

    public TcpCutProxy(Uri target)
    {
        Target = target;
        _listener.Start();
        _accept = AcceptAsync();
    }

    /// <summary>Server new connections go to (ws://host:port/ws).</summary>
    public Uri Target { get; set; }

    /// <summary>ws://127.0.0.1:proxyport/ws</summary>
    public Uri WebSocketUri => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ws");

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>While true, new connections are closed at once (the server looks down).</summary>
    public bool Refusing
    {
        get => _refusing;
        set => _refusing = value;
    }

    /// <summary>Resets every open connection (RST, no WebSocket close).</summary>
    public void DropAll()
    {
        lock (_sync)
        {
            foreach (var socket in _open)
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Dispose();
            }

            _open.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_refusing)
            {
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            Accepted++;
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await server.ConnectAsync(Target.Host, Target.Port, _stop.Token);
            lock (_sync)
            {
                _open.Add(client);
                _open.Add(server);
            }

            await Task.WhenAny(CopyAsync(client, server), CopyAsync(server, client));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped or stopped.
        }
        finally
        {
            lock (_sync)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            client.Dispose();
            server.Dispose();
        }
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accept;
        _stop.Dispose();
    }
}
