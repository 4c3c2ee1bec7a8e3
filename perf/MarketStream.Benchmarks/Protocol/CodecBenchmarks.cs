using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MarketStream.Model;
using MarketStream.Protocol;
using MessagePack;

namespace MarketStream.Benchmarks.Protocol;

/// <summary>
/// Codec figures (perf/README.md, Codec): one update into a frame, a 64-update frame, and
/// decoding that frame — the protocol codec against MessagePackSerializer on an attributed class and
/// System.Text.Json on the same data, all writing into reused buffers so only the codec differs.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CodecBenchmarks
{
    private const int FrameSize = 64;
    private const long T0 = 1_767_225_600_000_000_000;

    private readonly Tick[] _ticks = new Tick[FrameSize];
    private readonly BatchWriter _batch = new(64 * 1024);
    private readonly byte[] _encoded = new byte[MessagePackUpdateEncoder.Instance.MaxUpdateLength];
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private Utf8JsonWriter _json = null!;
    private BatchDto _dto = null!;
    private byte[] _codecFrame = null!;
    private byte[] _msgpackFrame = null!;
    private byte[] _jsonFrame = null!;
    private int _encodedLength;

    [GlobalSetup]
    public void Setup()
    {
        var updates = new UpdateDto[FrameSize];
        for (var i = 0; i < FrameSize; i++)
        {
            var trade = i % 4 == 3;
            _ticks[i] = trade
                ? new Tick { SymbolId = i % 20, Kind = TickKind.Trade, Epoch = 1, Seq = 1_000 + i, Price = 2_301_250 + i, Size = 100, Side = TradeSide.Buy, ExchangeTimeNs = T0 + i, ReceiveTimeNs = T0 + 20_000 + i, ServerTimeNs = T0 + 25_000 + i }
                : new Tick { SymbolId = i % 20, Kind = TickKind.Quote, Epoch = 1, Seq = 1_000 + i, BidPrice = 108_431 + i, BidSize = 1_000_000, AskPrice = 108_433 + i, AskSize = 2_000_000, ExchangeTimeNs = T0 + i, ReceiveTimeNs = T0 + 20_000 + i, ServerTimeNs = T0 + 25_000 + i };
            ref var t = ref _ticks[i];
            updates[i] = new UpdateDto
            {
                SymbolId = t.SymbolId, Epoch = t.Epoch, Seq = t.Seq, Kind = (byte)t.Kind,
                A = trade ? t.Price : t.BidPrice, B = trade ? t.Size : t.BidSize, C = trade ? (long)t.Side : t.AskPrice, D = trade ? t.Conditions : t.AskSize,
                ExchangeTimeNs = t.ExchangeTimeNs, ReceiveTimeNs = t.ReceiveTimeNs, ServerTimeNs = t.ServerTimeNs,
            };
        }

        _dto = new BatchDto { Updates = updates };
        _json = new Utf8JsonWriter(_buffer);
        _encodedLength = MessagePackUpdateEncoder.Instance.EncodeUpdate(_ticks[0], _encoded);
        _codecFrame = EncodeFrame64_Codec().ToArray();
        _msgpackFrame = MessagePackSerializer.Serialize(_dto);
        _jsonFrame = JsonSerializer.SerializeToUtf8Bytes(_dto);
        Console.WriteLine($"// wire bytes, 64-update frame: codec {_codecFrame.Length}, MessagePackSerializer {_msgpackFrame.Length}, System.Text.Json {_jsonFrame.Length}");
        Console.WriteLine($"// wire bytes, one quote update: codec {_encodedLength}, MessagePackSerializer {MessagePackSerializer.Serialize(updates[0]).Length}, System.Text.Json {JsonSerializer.SerializeToUtf8Bytes(updates[0]).Length}");
    }

    // ---- one update ----

    /// <summary>The engine path: encode once (IUpdateEncoder) and copy into a frame.</summary>
    [Benchmark(Description = "Codec: EncodeUpdate + append to frame")]
    [BenchmarkCategory("EncodeOne")]
    public int EncodeOne_Codec()
    {
        _batch.Reset();
        var n = MessagePackUpdateEncoder.Instance.EncodeUpdate(_ticks[0], _encoded);
        _batch.TryAppendEncoded(_encoded.AsSpan(0, n));
        return _batch.Length;
    }

    [Benchmark(Description = "Codec: TryAppendUpdate (direct into frame)")]
    [BenchmarkCategory("EncodeOne")]
    public int EncodeOne_CodecDirect()
    {
        _batch.Reset();
        _batch.TryAppendUpdate(_ticks[0]);
        return _batch.Length;
    }

    [Benchmark(Description = "MessagePackSerializer.Serialize")]
    [BenchmarkCategory("EncodeOne")]
    public int EncodeOne_MessagePackSerializer()
    {
        _buffer.ResetWrittenCount();
        MessagePackSerializer.Serialize(_buffer, _dto.Updates[0]);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true, Description = "System.Text.Json")]
    [BenchmarkCategory("EncodeOne")]
    public int EncodeOne_SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        JsonSerializer.Serialize(_json, _dto.Updates[0]);
        return _buffer.WrittenCount;
    }

    // ---- 64-update frame ----

    [Benchmark(Description = "Codec: BatchWriter 64 updates")]
    [BenchmarkCategory("EncodeFrame64")]
    public ArraySegment<byte> EncodeFrame64_Codec()
    {
        _batch.Reset();
        var ticks = _ticks;
        for (var i = 0; i < ticks.Length; i++)
        {
            _batch.TryAppendUpdate(ticks[i]);
        }

        return _batch.Complete();
    }

    [Benchmark(Description = "MessagePackSerializer.Serialize")]
    [BenchmarkCategory("EncodeFrame64")]
    public int EncodeFrame64_MessagePackSerializer()
    {
        _buffer.ResetWrittenCount();
        MessagePackSerializer.Serialize(_buffer, _dto);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true, Description = "System.Text.Json")]
    [BenchmarkCategory("EncodeFrame64")]
    public int EncodeFrame64_SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        JsonSerializer.Serialize(_json, _dto);
        return _buffer.WrittenCount;
    }

    // ---- decode the 64-update frame ----

    [Benchmark(Description = "Codec: ServerFrameReader")]
    [BenchmarkCategory("DecodeFrame64")]
    public long DecodeFrame64_Codec()
    {
        var reader = new ServerFrameReader(_codecFrame);
        long sum = 0;
        while (reader.Read(out var message, out _) == ReadStatus.Message)
        {
            sum += message.Update.Seq;
        }

        return sum;
    }

    [Benchmark(Description = "MessagePackSerializer.Deserialize")]
    [BenchmarkCategory("DecodeFrame64")]
    public long DecodeFrame64_MessagePackSerializer() =>
        MessagePackSerializer.Deserialize<BatchDto>(_msgpackFrame).Updates[^1].Seq;

    [Benchmark(Baseline = true, Description = "System.Text.Json")]
    [BenchmarkCategory("DecodeFrame64")]
    public long DecodeFrame64_SystemTextJson() =>
        JsonSerializer.Deserialize<BatchDto>(_jsonFrame)!.Updates[^1].Seq;
}
