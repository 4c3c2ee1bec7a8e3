using System.Buffers;
using System.Net.WebSockets;
using MarketStream.Feeds.Hosting;
using MarketStream.LoadTest.Measurement;
using MarketStream.Protocol;

namespace MarketStream.LoadTest.Clients;

/// <summary>
/// A raw <see cref="ClientWebSocket"/> speaking <c>marketstream.v1</c> (docs/protocol.md), decoding
/// every frame with the protocol's <see cref="ServerFrameReader"/>. Tick-to-client latency is taken
/// per update as (time the frame was read) − <c>receiveTimeNs</c>, the feed handler's stamp, which
/// is where the pipeline starts (docs/protocol.md §2.3; <c>Tick.ReceiveTimeNs</c>). "Now" comes from
/// <see cref="TickPublisher.NowNs"/>, the feed clock itself (wall clock read once + the monotonic
/// counter Linux shares between processes), so client and server compute Unix ns the same way.
/// </summary>
internal sealed class MarketStreamLoadClient(ClientContext context) : ILoadClient
{
    private const int SubscriptionId = 1;
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int[] _idToIndex = [];
    private byte[] _buffer = new byte[4 * 1024];

    public long[] LastSeq { get; } = new long[context.Symbols.Count];

    public Task Completion { get; private set; } = Task.CompletedTask;

    public string? CloseReason { get; private set; }

    public async Task ConnectAsync(CancellationToken ct)
    {
        _socket.Options.AddSubProtocol(WireProtocol.SubProtocol);
        _socket.Options.KeepAliveInterval = TimeSpan.Zero; // the server pings; a stalled client must not be rescued by its own pings
        var uri = new Uri(context.BaseUri, "ws");
        var ws = new UriBuilder(uri) { Scheme = "ws" }.Uri;
        await _socket.ConnectAsync(ws, (context.Stall?.Connector ?? context.Connector).Next(), ct).ConfigureAwait(false);
        Completion = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        await _welcome.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    public async Task SubscribeAsync(IReadOnlyList<string> symbols, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (symbols.Count * 16));
        ClientMessageWriter.Write(buffer, new SubscribeRequest(SubscriptionId, symbols, context.Mode, 0, 0, []));
        await _socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
        await _subscribed.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loop's own failure was already counted; disposal only has to end it.
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var ct = _stop.Token;
        var counters = context.Counters;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (context.Stall is { } stall)
                {
                    await stall.BeforeReadAsync(ct).ConfigureAwait(false);
                }

                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == _buffer.Length)
                    {
                        Array.Resize(ref _buffer, _buffer.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(_buffer.AsMemory(count), ct).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                counters.Frames++;
                counters.Bytes += count;
                Process(_buffer.AsMemory(0, count), TickPublisher.NowNs());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            if (!ct.IsCancellationRequested)
            {
                CloseReason = _socket.CloseStatus is { } status ? $"close {(int)status} {_socket.CloseStatusDescription}".TrimEnd() : "connection lost without a close frame";
            }

            var closed = new InvalidOperationException($"connection closed ({_socket.CloseStatus?.ToString() ?? "no close frame"} {_socket.CloseStatusDescription})");
            _welcome.TrySetException(closed);
            _subscribed.TrySetException(closed);
        }
    }

    private void Process(ReadOnlyMemory<byte> frame, long nowNs)
    {
        var counters = context.Counters;
        var latency = context.Latency;
        var reader = new ServerFrameReader(frame);
        while (true)
        {
            var status = reader.Read(out var message, out _);
            if (status != ReadStatus.Message)
            {
                if (status == ReadStatus.Error)
                {
                    counters.Errors++;
                }

                return;
            }

            switch (message.Type)
            {
                case MessageType.Update:
                {
                    var u = message.Update;
                    counters.Updates++;
                    Record(latency, counters, nowNs - u.ReceiveTimeNs);
                    SetSeq(u.SymbolId, u.Seq);
                    break;
                }

                case MessageType.Merged:
                {
                    var m = message.Merged;
                    counters.Updates++;
                    counters.Merged++;
                    counters.MergedTicks += m.Count;
                    Record(latency, counters, nowNs - m.ReceiveTimeNs);
                    SetSeq(m.SymbolId, m.LastSeq);
                    break;
                }

                case MessageType.Snapshot:
                    counters.Snapshots++;
                    var snapshot = (SnapshotMessage)message.Body!;
                    SetSeq(snapshot.Symbol.Id, snapshot.State.Seq);
                    break;
                case MessageType.Reset:
                    counters.Snapshots++;
                    var reset = (ResetMessage)message.Body!;
                    SetSeq(reset.Symbol.Id, reset.State.Seq);
                    break;
                case MessageType.Welcome:
                    _welcome.TrySetResult();
                    break;
                case MessageType.SubscribeAck:
                    MapIds((SubscribeAckMessage)message.Body!);
                    _subscribed.TrySetResult();
                    break;
                case MessageType.Error:
                    counters.Errors++;
                    var error = (ErrorMessage)message.Body!;
                    _subscribed.TrySetException(new InvalidOperationException($"server error {error.Code}: {error.Text}"));
                    break;
                default:
                    break; // heartbeats, notices, pongs
            }
        }
    }

    private void Record(LatencyRecorder? latency, ClientCounters counters, long ns)
    {
        if (latency is null)
        {
            return;
        }

        if (ns < 0)
        {
            counters.NegativeLatencies++;
            return;
        }

        latency.Record(context.Index, ns);
    }

    private void SetSeq(int symbolId, long seq)
    {
        var map = _idToIndex;
        if ((uint)symbolId < (uint)map.Length && map[symbolId] >= 0)
        {
            LastSeq[map[symbolId]] = seq;
        }
    }

    private void MapIds(SubscribeAckMessage ack)
    {
        var max = 0;
        foreach (var s in ack.Symbols)
        {
            max = Math.Max(max, s.Id);
        }

        var map = new int[max + 1];
        Array.Fill(map, -1);
        foreach (var s in ack.Symbols)
        {
            map[s.Id] = context.Symbols.IndexOf(s.Name);
        }

        _idToIndex = map;
    }
}
