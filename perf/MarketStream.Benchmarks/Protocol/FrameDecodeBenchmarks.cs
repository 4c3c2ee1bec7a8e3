using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MarketStream.Model;
using MarketStream.Protocol;
using MarketStream.Protocol.Internal;
using MessagePack;

namespace MarketStream.Benchmarks.Protocol;

/// <summary>
/// The client side of every frame (perf/README.md, "Client decode"): a realistic 64-element Batch
/// read through <see cref="ServerFrameReader"/>, reported per update (OperationsPerInvoke = 64). Two frames:
/// 64 Updates (48 quotes, 16 trades — the Codec frame) and 64 Merged updates (what a conflating session under
/// load receives: 40 quote-only, 16 quote and trade, 8 trade-only). The structural validation pass alone is a
/// row of its own, so the split between validating and reading shows; MessagePackSerializer.Deserialize of the
/// same updates as an attributed class is the fixed reference that makes runs of different builds comparable.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FrameDecodeBenchmarks
{
    private const int FrameSize = 64;
    private const long T0 = 1_767_225_600_000_000_000;

    private byte[] _updates = null!;
    private byte[] _merged = null!;
    private byte[] _msgpackUpdates = null!;

    [GlobalSetup]
    public void Setup()
    {
        var batch = new BatchWriter(64 * 1024);
        var dtos = new UpdateDto[FrameSize];
        for (var i = 0; i < FrameSize; i++)
        {
            var trade = i % 4 == 3;
            var t = trade
                ? new Tick { SymbolId = i % 50, Kind = TickKind.Trade, Epoch = 1, Seq = 100_000 + i, Price = 2_301_250 + i, Size = 100, Side = TradeSide.Buy, ExchangeTimeNs = T0 + i, ReceiveTimeNs = T0 + 20_000 + i, ServerTimeNs = T0 + 25_000 + i }
                : new Tick { SymbolId = i % 50, Kind = TickKind.Quote, Epoch = 1, Seq = 100_000 + i, BidPrice = 108_431 + i, BidSize = 1_000_000, AskPrice = 108_433 + i, AskSize = 2_000_000, ExchangeTimeNs = T0 + i, ReceiveTimeNs = T0 + 20_000 + i, ServerTimeNs = T0 + 25_000 + i };
            batch.TryAppendUpdate(t);
            dtos[i] = new UpdateDto
            {
                SymbolId = t.SymbolId, Epoch = t.Epoch, Seq = t.Seq, Kind = (byte)t.Kind,
                A = trade ? t.Price : t.BidPrice, B = trade ? t.Size : t.BidSize, C = trade ? (long)t.Side : t.AskPrice, D = trade ? t.Conditions : t.AskSize,
                ExchangeTimeNs = t.ExchangeTimeNs, ReceiveTimeNs = t.ReceiveTimeNs, ServerTimeNs = t.ServerTimeNs,
            };
        }

        _updates = batch.Complete().ToArray();
        _msgpackUpdates = MessagePackSerializer.Serialize(new BatchDto { Updates = dtos });

        batch.Reset();
        for (var i = 0; i < FrameSize; i++)
        {
            var hasTrade = i % 4 == 3 || i % 8 == 5;
            var m = new MergedUpdate
            {
                SymbolId = i % 50, Epoch = 1, FirstSeq = 100_000 + (i * 40), LastSeq = 100_000 + (i * 40) + 37, Count = 38,
                HasQuote = i % 8 != 7, BidPrice = 108_431 + i, BidSize = 1_000_000, AskPrice = 108_433 + i, AskSize = 2_000_000,
                ExchangeTimeNs = T0 + i, ReceiveTimeNs = T0 + 20_000 + i, ServerTimeNs = T0 + 25_000 + i,
            };
            if (hasTrade)
            {
                m.TradeCount = 3;
                m.LastPrice = 2_301_250 + i;
                m.LastSize = 300;
                m.LastSide = TradeSide.Sell;
                m.Volume = 900;
                m.High = 2_301_400;
                m.Low = 2_301_100;
            }

            batch.TryAppendMerged(m);
        }

        _merged = batch.Complete().ToArray();
        Console.WriteLine($"// wire bytes: 64 Updates {_updates.Length} ({_updates.Length / (double)FrameSize:F1} B/update), 64 Merged {_merged.Length} ({_merged.Length / (double)FrameSize:F1} B/update)");
        if (Updates() == 0 || Merged() == 0)
        {
            throw new InvalidOperationException("the benchmark frames did not decode");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FrameSize, Description = "ServerFrameReader: 64 Updates")]
    [BenchmarkCategory("Updates")]
    public long Updates()
    {
        var reader = new ServerFrameReader(_updates);
        long sum = 0;
        while (reader.Read(out var message, out _) == ReadStatus.Message)
        {
            sum += message.Update.ReceiveTimeNs;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = FrameSize, Description = "StructureValidator only: 64 Updates")]
    [BenchmarkCategory("Updates")]
    public ErrorCode UpdatesValidateOnly() => StructureValidator.Validate(_updates, DecoderLimits.ServerInput, out _);

    [Benchmark(OperationsPerInvoke = FrameSize, Description = "MessagePackSerializer.Deserialize: 64 updates (reference)")]
    [BenchmarkCategory("Updates")]
    public long UpdatesMessagePackSerializer() => MessagePackSerializer.Deserialize<BatchDto>(_msgpackUpdates).Updates[^1].ReceiveTimeNs;

    [Benchmark(Baseline = true, OperationsPerInvoke = FrameSize, Description = "ServerFrameReader: 64 Merged")]
    [BenchmarkCategory("Merged")]
    public long Merged()
    {
        var reader = new ServerFrameReader(_merged);
        long sum = 0;
        while (reader.Read(out var message, out _) == ReadStatus.Message)
        {
            sum += message.Merged.ReceiveTimeNs;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = FrameSize, Description = "StructureValidator only: 64 Merged")]
    [BenchmarkCategory("Merged")]
    public ErrorCode MergedValidateOnly() => StructureValidator.Validate(_merged, DecoderLimits.ServerInput, out _);
}
