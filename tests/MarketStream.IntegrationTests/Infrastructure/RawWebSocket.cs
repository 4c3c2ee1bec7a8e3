using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>
/// A WebSocket client on a bare TCP socket, for faults a real client library never produces: a frame
/// cut off mid-way, a reset instead of a close, pings that are read but never answered (RFC 6455 §5).
/// </summary>
public sealed class RawWebSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    private RawWebSocket(Socket socket) => _socket = socket;

    /// <summary>Opens a TCP connection and completes the upgrade offering marketstream.v1; throws unless the answer is 101.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri server, string path = "/ws", int? receiveBufferBytes = null)
    {
        var raw = await OpenAsync(server, receiveBufferBytes);
        await raw.SendAsync(Encoding.ASCII.GetBytes(UpgradeRequest(server, path)));
        var response = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
        return raw;
    }

    /// <summary>Opens a TCP connection and sends nothing: the test writes the handshake itself.</summary>
    /// <param name="receiveBufferBytes">SO_RCVBUF, set before connecting (so the window the client offers stays that small); null keeps the OS default.</param>
    public static async Task<RawWebSocket> OpenAsync(Uri server, int? receiveBufferBytes = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferBytes is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), TestContext.Current.CancellationToken);
        return new RawWebSocket(socket);
    }

    /// <summary>The plain upgrade request a client library sends, offering marketstream.v1.</summary>
    public static string UpgradeRequest(Uri server, string path = "/ws", string? key = null) =>
        $"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key ?? Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Protocol: {WireProtocol.SubProtocol}\r\n\r\n";

    /// <summary>A masked client binary frame carrying <paramref name="payload"/> (≤ 65535 bytes), as RFC 6455 §5.3 requires of clients.</summary>
    public static byte[] MaskedBinaryFrame(ReadOnlySpan<byte> payload)
    {
        var header = BinaryFrameHeader(payload.Length);
        var frame = new byte[header.Length + payload.Length];
        header.CopyTo(frame, 0);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[header.Length + i] = (byte)(payload[i] ^ header[4 + (i % 4)]);
        }

        return frame;
    }

    /// <summary>The client's local TCP port: the server's socket for this connection is the one with this peer port.</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Sends raw bytes (e.g. a frame header that promises more payload than follows).</summary>
    public Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes, SocketFlags.None, TestContext.Current.CancellationToken).AsTask();

    /// <summary>A masked client frame header for a binary message of <paramref name="payloadLength"/> bytes (≤ 65535).</summary>
    public static byte[] BinaryFrameHeader(int payloadLength) =>
        [0x82, 0x80 | 126, (byte)(payloadLength >> 8), (byte)payloadLength, 0x11, 0x22, 0x33, 0x44];

    /// <summary>Drops the connection with a TCP reset (linger 0), as a client whose machine vanished.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>
    /// Reads frames (never answering a ping) until a close frame arrives or the connection ends; returns
    /// the close code, 1006 when it ended without one, or null when <paramref name="timeout"/> passed first.
    /// Counts the pings seen.
    /// </summary>
    public async Task<(int? CloseCode, int Pings)> ReadUntilCloseAsync(TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        var pings = 0;
        try
        {
            while (true)
            {
                var (opcode, payload) = await ReadFrameAsync(cts.Token);
                if (opcode == 0x9)
                {
                    pings++;
                }
                else if (opcode == 0x8)
                {
                    return (payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005, pings);
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return (null, pings);
        }
        catch (Exception ex) when (ex is SocketException or EndOfStreamException)
        {
            return (1006, pings);
        }
    }

    /// <summary>The next frame (opcode and payload), pings included.</summary>
    public async Task<(int Opcode, byte[] Payload)> ReadFrameAsync(CancellationToken token)
    {
        var head = await ReadExactAsync(2, token);
        var length = (long)(head[1] & 0x7f);
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactAsync(2, token));
        }
        else if (length == 127)
        {
            length = BinaryPrimitives.ReadInt64BigEndian(await ReadExactAsync(8, token));
        }

        return (head[0] & 0x0f, await ReadExactAsync((int)length, token));
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken token)
    {
        while (_received.Count < count)
        {
            // At most what is missing (at least 256 B): the socket keeps a reference to the last receive
            // buffer, and an idle connection should not hold 4 KiB for it (IdleConnectionMemoryTests).
            var buffer = new byte[Math.Clamp(count - _received.Count, 256, 4096)];
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            _received.AddRange(buffer.AsSpan(0, n));
        }

        var result = _received.GetRange(0, count).ToArray();
        _received.RemoveRange(0, count);
        return result;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (e.g. a response body whose length the head gave).</summary>
    public Task<byte[]> ReadBytesAsync(int count) => ReadExactAsync(count, TestContext.Current.CancellationToken);

    /// <summary>Reads an HTTP response head (status line and headers, up to the blank line).</summary>
    public async Task<string> ReadHeadAsync()
    {
        var text = new StringBuilder();
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var b = await ReadExactAsync(1, TestContext.Current.CancellationToken);
            text.Append((char)b[0]);
        }

        return text.ToString();
    }

    public void Dispose() => _socket.Dispose();
}
