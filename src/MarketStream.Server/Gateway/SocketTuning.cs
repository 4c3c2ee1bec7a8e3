using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Gateway;

/// <summary>
/// Kestrel connection middleware that sets the kernel send-side limits of every accepted TCP socket
/// (<see cref="GatewayOptions.SocketNotSentLowWaterBytes"/>, <see cref="GatewayOptions.SocketSendBufferBytes"/>)
/// before any byte is written. Without them Linux lets the send buffer of a client that stopped reading grow to
/// <c>net.ipv4.tcp_wmem</c>'s maximum (4 MiB): megabytes of frames that go stale there, where conflation can no
/// longer merge them. With a not-sent low-water mark the kernel takes new bytes only while less than that is
/// still unsent, so what a stalled client cannot take waits in its outbox, merged (docs/operations.md, Tuning
/// for slow consumers).
/// </summary>
internal static class SocketTuning
{
    /// <summary><c>TCP_NOTSENT_LOWAT</c> (linux/tcp.h) at level <c>IPPROTO_TCP</c>.</summary>
    private const int TcpNotSentLowWater = 25;

    /// <summary>Adds the middleware to a listener, ahead of everything else on it.</summary>
    public static void Use(ListenOptions listen)
    {
        var options = listen.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>();
        listen.Use(next => connection =>
        {
            Apply(connection, options.Value);
            return next(connection);
        });
    }

    /// <summary>Applies the settings to the connection's socket, if it has one (a TCP socket of Kestrel's socket transport).</summary>
    public static void Apply(ConnectionContext connection, GatewayOptions options)
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { ProtocolType: ProtocolType.Tcp } socket)
        {
            Apply(socket, options);
        }
    }

    public static void Apply(Socket socket, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            if (options.SocketSendBufferBytes > 0)
            {
                socket.SendBufferSize = options.SocketSendBufferBytes;
            }

            if (options.SocketNotSentLowWaterBytes > 0 && OperatingSystem.IsLinux())
            {
                var lowWater = options.SocketNotSentLowWaterBytes;
                Span<byte> value = stackalloc byte[sizeof(int)];
                MemoryMarshal.Write(value, in lowWater);
                socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpNotSentLowWater, value);
            }
        }
        catch (SocketException)
        {
            // The connection is already gone (reset before this ran): nothing to tune, Kestrel ends it.
        }
        catch (ObjectDisposedException)
        {
            // Likewise: closed before this ran.
        }
    }
}
