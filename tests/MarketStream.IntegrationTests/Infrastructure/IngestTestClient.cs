using System.Buffers;
using System.Net.WebSockets;
using MarketStream.Model;
using MarketStream.Protocol;
using MessagePack;

namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>A publisher on /ingest for tests: raw ClientWebSocket, protocol codec from MarketStream.Protocol.</summary>
public sealed class IngestTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[1 << 20];

    private IngestTestClient(ClientWebSocket socket) => _socket = socket;

    public WebSocket Socket => _socket;

    public static async Task<IngestTestClient> ConnectAsync(Uri uri, string? token = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(WireProtocol.SubProtocol);
        if (token is not null)
        {
            socket.Options.AddSubProtocol(WireProtocol.TokenSubProtocolPrefix + token);
        }

        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        return new IngestTestClient(socket);
    }

    public static Uri IngestUri(RunningServer server) => new($"ws://{server.BaseAddress.Authority}/ingest");

    public Task SendAsync(ClientMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        ClientMessageWriter.Write(output, message);
        return SendRawAsync(output.WrittenMemory);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        await _socket.SendAsync(bytes, type, true, TestContext.Current.CancellationToken);

    /// <summary>One IngestTicks entry written by hand, so a test can send entries the protocol writer never produces (malformed ticks).</summary>
    public delegate void RawTickEntry(ref MessagePackWriter writer);

    public static RawTickEntry RawEntry(RawTickEntry write) => write;

    public static void WriteTick(ref MessagePackWriter writer, IngestTick tick) => ClientMessageWriter.WriteIngestTick(ref writer, tick);

    /// <summary>Sends <c>[6, requestId, [entries…]]</c> built from raw entries.</summary>
    public Task SendIngestAsync(long requestId, IReadOnlyList<RawTickEntry> entries)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        ClientMessageWriter.WriteIngestTicksHeader(ref writer, requestId, entries.Count);
        foreach (var entry in entries)
        {
            entry(ref writer);
        }

        writer.Flush();
        return SendRawAsync(output.WrittenMemory);
    }

    public static IngestTick Quote(string symbol, long exchangeTimeNs, long bid, long bidSize, long ask, long askSize) =>
        new(symbol, new Tick { Kind = TickKind.Quote, ExchangeTimeNs = exchangeTimeNs, BidPrice = bid, BidSize = bidSize, AskPrice = ask, AskSize = askSize });

    public static IngestTick Trade(string symbol, long exchangeTimeNs, long price, long size, TradeSide side) =>
        new(symbol, new Tick { Kind = TickKind.Trade, ExchangeTimeNs = exchangeTimeNs, Price = price, Size = size, Side = side });

    /// <summary>Next server message (the ingest endpoint sends one message per WebSocket message).</summary>
    public async Task<ServerMessageBody> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketClosedException(_socket.CloseStatus);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                break;
            }
        }

        var reader = new ServerFrameReader(_buffer.AsMemory(0, length));
        Assert.Equal(ReadStatus.Message, reader.Read(out var message, out var error));
        Assert.False(error.IsError, error.Message);
        return message.Body ?? throw new InvalidOperationException($"unexpected {message.Type}");
    }

    public async Task<T> ReceiveAsync<T>()
        where T : ServerMessageBody
    {
        var message = await ReceiveAsync();
        return Assert.IsType<T>(message);
    }

    /// <summary>Reads until the server closes; returns the close status.</summary>
    public async Task<int?> WaitForCloseAsync()
    {
        while (true)
        {
            try
            {
                await ReceiveAsync();
            }
            catch (WebSocketClosedException closed)
            {
                return (int?)closed.Status;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}

public sealed class WebSocketClosedException(WebSocketCloseStatus? status) : Exception($"closed with {(int?)status}")
{
    public WebSocketCloseStatus? Status { get; } = status;
}
