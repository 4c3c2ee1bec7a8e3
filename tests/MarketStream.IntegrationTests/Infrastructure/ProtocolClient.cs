using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>
/// A test client speaking docs/protocol.md over a real <see cref="ClientWebSocket"/>: sends requests
/// with <see cref="ClientMessageWriter"/>, reads frames with <see cref="ServerFrameReader"/> and hands
/// out messages one at a time (batches flattened, in stream order).
/// </summary>
public sealed class ProtocolClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly Queue<ServerMessage> _pending = new();
    private readonly ArrayBufferWriter<byte> _frame = new(64 * 1024);
    private long _nextRequestId;

    private ProtocolClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Close code received from the server, once the connection closed.</summary>
    public int? CloseCode { get; private set; }

    /// <summary>Size of the largest WebSocket message received so far (limits tests: MaxFrameBytes).</summary>
    public int LargestFrameBytes { get; private set; }

    public long NextRequestId() => Interlocked.Increment(ref _nextRequestId) + 100;

    /// <summary>
    /// Connects to <paramref name="uri"/> offering <paramref name="subprotocols"/> (default <c>marketstream.v1</c>).
    /// <paramref name="receiveBufferBytes"/> shrinks the socket's receive buffer, so a client that stops
    /// reading backs the server up quickly. <paramref name="keepAliveInterval"/> sets the client's own
    /// keep-alive (unsolicited pongs); <see cref="TimeSpan.Zero"/> makes the client send nothing unasked.
    /// </summary>
    public static async Task<ProtocolClient> ConnectAsync(Uri uri, IEnumerable<string>? subprotocols = null, string? origin = null, int? receiveBufferBytes = null, TimeSpan? keepAliveInterval = null)
    {
        var socket = new ClientWebSocket();
        if (keepAliveInterval is { } keepAlive)
        {
            socket.Options.KeepAliveInterval = keepAlive;
        }

        foreach (var protocol in subprotocols ?? [WireProtocol.SubProtocol])
        {
            socket.Options.AddSubProtocol(protocol);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var s = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (receiveBufferBytes is { } size)
                {
                    s.ReceiveBufferSize = size;
                }

                await s.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(DefaultTimeout);
        await socket.ConnectAsync(uri, invoker, timeout.Token);
        return new ProtocolClient(socket);
    }

    public async Task SendAsync(ClientMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ClientMessageWriter.Write(buffer, message);
        await SendRawAsync(buffer.WrittenMemory);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(DefaultTimeout);
        await Socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    public Task<ServerMessage> NextAsync(TimeSpan? timeout = null) => NextAsync(static _ => true, timeout);

    /// <summary>Next message matching <paramref name="predicate"/>; others are skipped. Throws on close or timeout.</summary>
    public async Task<ServerMessage> NextAsync(Func<ServerMessage, bool> predicate, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? DefaultTimeout);
        while (true)
        {
            while (_pending.Count > 0)
            {
                var message = _pending.Dequeue();
                if (predicate(message))
                {
                    return message;
                }
            }

            if (!await ReceiveFrameAsync(cts.Token))
            {
                throw new InvalidOperationException($"connection closed with {CloseCode} while waiting for a message");
            }
        }
    }

    /// <summary>Next message that is not a Heartbeat.</summary>
    public Task<ServerMessage> NextNonHeartbeatAsync(TimeSpan? timeout = null) => NextAsync(static m => m.Type != MessageType.Heartbeat, timeout);

    /// <summary>Next message body of type <typeparamref name="T"/>, skipping everything else.</summary>
    public async Task<T> ExpectAsync<T>(TimeSpan? timeout = null)
        where T : ServerMessageBody
    {
        var message = await NextAsync(static m => m.Body is T, timeout);
        return (T)message.Body!;
    }

    /// <summary>Reads (and drops) messages until the server closes; returns the close code, or null on timeout.</summary>
    public async Task<int?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            while (await ReceiveFrameAsync(cts.Token))
            {
                _pending.Clear();
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (WebSocketException)
        {
            // Dropped without a close frame.
            return CloseCode ?? 1006;
        }

        return CloseCode;
    }

    /// <summary>
    /// Every message received for about <paramref name="duration"/>, in order. Heartbeats (every 200 ms in
    /// the gateway tests) keep messages coming, so no receive has to be cancelled and the socket stays usable.
    /// </summary>
    public async Task<List<ServerMessage>> ReadForAsync(TimeSpan duration)
    {
        var messages = new List<ServerMessage>();
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until)
        {
            messages.Add(await NextAsync());
        }

        while (_pending.Count > 0)
        {
            messages.Add(_pending.Dequeue());
        }

        return messages;
    }

    private async Task<bool> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        _frame.ResetWrittenCount();
        while (true)
        {
            var result = await Socket.ReceiveAsync(_frame.GetMemory(16 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                CloseCode = (int?)Socket.CloseStatus;
                if (Socket.State == WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }

                return false;
            }

            _frame.Advance(result.Count);
            if (result.EndOfMessage)
            {
                break;
            }
        }

        var bytes = _frame.WrittenMemory.ToArray();
        LargestFrameBytes = Math.Max(LargestFrameBytes, bytes.Length);
        Parse(bytes);
        return true;
    }

    private void Parse(byte[] bytes)
    {
        var reader = new ServerFrameReader(bytes);
        while (true)
        {
            var status = reader.Read(out var message, out var error);
            if (status == ReadStatus.EndOfFrame)
            {
                return;
            }

            if (status == ReadStatus.Error)
            {
                throw new InvalidOperationException($"server sent an invalid frame: {error}");
            }

            _pending.Enqueue(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Already gone.
            }
        }

        Socket.Dispose();
    }
}
