using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using MarketStream.Client;
using MarketStream.Client.Internal;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Benchmarks.Client;

/// <summary>
/// The client library's receive path per update, on one 100-update frame (10 symbols, 80 % quotes):
/// the bare protocol decode (<see cref="ServerFrameReader"/>, baseline), the client's decode (symbol lookup,
/// sequence check, book update, one <see cref="MarketEvent"/> per update), and the same plus the bounded
/// event channel a consumer reads. Reported per update (OperationsPerInvoke); B/update is the allocation figure.
/// </summary>
[MemoryDiagnoser]
public class ClientDecodeBenchmarks
{
    private const int Symbols = 10;
    private const int Updates = 100;
    private const long BaseSeq = 1_000;
    private const long T0 = 1_767_225_600_000_000_000;

    private readonly EventBuffer _events = new();
    private readonly List<ServerMessageBody> _control = [];
    private readonly SymbolStream[] _streams = new SymbolStream[Symbols];
    private readonly Channel<MarketEvent> _channel = Channel.CreateBounded<MarketEvent>(new BoundedChannelOptions(8192) { SingleWriter = true, SingleReader = true });
    private StreamDecoder _decoder = null!;
    private byte[] _frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new SymbolInfo[Symbols];
        for (var i = 0; i < Symbols; i++)
        {
            symbols[i] = new SymbolInfo(i, "SYM" + i, 2, 0, "USD", "BENCH");
        }

        _decoder = new StreamDecoder(new MarketBook());
        var setup = new BatchWriter(64 * 1024);
        for (var i = 0; i < Symbols; i++)
        {
            setup.TryAppendSnapshot(1, symbols[i], new SymbolSnapshot { SymbolId = i, Epoch = 1, Seq = BaseSeq });
        }

        _decoder.Decode(setup.Complete().ToArray(), 0, _events, _control, out _);
        _events.Clear();
        lock (_decoder.Book.Sync)
        {
            for (var i = 0; i < Symbols; i++)
            {
                _decoder.Book.TryGetStream(symbols[i].Name, out var stream);
                _streams[i] = stream!;
            }
        }

        var batch = new BatchWriter(64 * 1024);
        for (var i = 0; i < Updates; i++)
        {
            var symbol = i % Symbols;
            var seq = BaseSeq + 1 + (i / Symbols);
            var tick = i % 5 == 4
                ? new Tick { SymbolId = symbol, Epoch = 1, Seq = seq, Kind = TickKind.Trade, Price = 18_950 + i, Size = 100, Side = TradeSide.Buy }
                : new Tick { SymbolId = symbol, Epoch = 1, Seq = seq, Kind = TickKind.Quote, BidPrice = 18_950 + i, BidSize = 300, AskPrice = 18_952 + i, AskSize = 500 };
            tick.ExchangeTimeNs = T0 + i;
            tick.ReceiveTimeNs = T0 + i + 1_000;
            tick.ServerTimeNs = T0 + i + 2_000;
            batch.TryAppendUpdate(tick);
        }

        _frame = batch.Complete().ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Updates)]
    public long ProtocolDecode()
    {
        var reader = new ServerFrameReader(_frame);
        long sum = 0;
        while (reader.Read(out var message, out _) == ReadStatus.Message)
        {
            sum += message.Update.Seq;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Updates)]
    public int ClientDecode()
    {
        Rewind();
        _decoder.Decode(_frame, T0, _events, _control, out _);
        var count = _events.Count;
        _events.Clear();
        return count;
    }

    [Benchmark(OperationsPerInvoke = Updates)]
    public long ClientDecodeThroughChannel()
    {
        Rewind();
        _decoder.Decode(_frame, T0, _events, _control, out _);
        long seqs = 0;
        for (var i = 0; i < _events.Count; i++)
        {
            _channel.Writer.TryWrite(_events[i]);
        }

        while (_channel.Reader.TryRead(out var e))
        {
            seqs += e.Seq;
        }

        _events.Clear();
        return seqs;
    }

    // The same frame is decoded every time: put each symbol back at the position before it.
    private void Rewind()
    {
        foreach (var stream in _streams)
        {
            stream.State.Seq = BaseSeq;
        }
    }
}
