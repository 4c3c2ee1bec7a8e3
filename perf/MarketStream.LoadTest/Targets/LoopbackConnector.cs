using System.Net;
using System.Net.Sockets;

namespace MarketStream.LoadTest.Targets;

/// <summary>
/// Opens client connections from several 127.0.0.x source addresses in turn. One source address can
/// reach one server port from about 28k ephemeral ports (net.ipv4.ip_local_port_range); binding each
/// socket to its own loopback address before connecting multiplies that. ClientWebSocket cannot bind
/// a local address itself, so the socket is made in <see cref="SocketsHttpHandler.ConnectCallback"/>.
/// Only loopback addresses are accepted, as source and as target.
/// </summary>
internal sealed class LoopbackConnector : IDisposable
{
    private readonly HttpMessageInvoker[] _invokers;
    private int _next = -1;

    /// <param name="sourceAddresses">How many 127.0.0.x addresses to bind in turn, from 127.0.0.1.</param>
    /// <param name="receiveBufferBytes">SO_RCVBUF for client sockets; 0 keeps the OS default (autotuned, up to
    /// net.ipv4.tcp_rmem's maximum — megabytes, which a reader that falls behind fills with stale data).</param>
    public LoopbackConnector(int sourceAddresses, int receiveBufferBytes = 0)
    {
        if (sourceAddresses is < 1 or > 250)
        {
            throw new ArgumentOutOfRangeException(nameof(sourceAddresses), "1–250 source addresses (127.0.0.1 … 127.0.0.250).");
        }

        _invokers = new HttpMessageInvoker[sourceAddresses];
        for (var i = 0; i < sourceAddresses; i++)
        {
            var local = new IPAddress(new byte[] { 127, 0, 0, (byte)(i + 1) });
            var handler = new SocketsHttpHandler
            {
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.Zero,
                ConnectCallback = (context, ct) => ConnectFromAsync(local, receiveBufferBytes, context.DnsEndPoint, ct),
            };
            _invokers[i] = new HttpMessageInvoker(handler, disposeHandler: true);
        }
    }

    public int SourceAddresses => _invokers.Length;

    /// <summary>The invoker for the next source address, round robin.</summary>
    public HttpMessageInvoker Next() => _invokers[(int)((uint)Interlocked.Increment(ref _next) % (uint)_invokers.Length)];

    public static void EnsureLoopback(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"Load is only sent to loopback addresses (127.0.0.0/8, [::1]); '{uri.Host}' is not one.", nameof(uri));
        }
    }

    public void Dispose()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress local, int receiveBufferBytes, DnsEndPoint target, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBufferBytes > 0)
            {
                socket.ReceiveBufferSize = receiveBufferBytes; // before connect: it sets the window scale
            }

            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(IPAddress.Parse(target.Host), target.Port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
