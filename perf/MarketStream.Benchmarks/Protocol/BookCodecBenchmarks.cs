using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MarketStream.Protocol;
using MessagePack;

namespace MarketStream.Benchmarks.Protocol;

/// <summary>
/// Issue #22 book encoding targets (perf/README.md, Book codec): a 10-level snapshot ≤ 300 ns and a single-level
/// change ≤ 60 ns, 0 B — the span encoders (<see cref="BookMessageEncoder"/>, the engine's encode-once path) and
/// <see cref="BatchWriter"/>'s direct append, against the same fields written with MessagePackWriter (baseline),
/// plus the §4.24 checksum of the top 10 levels per side.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BookCodecBenchmarks
{
    private const long T0 = 1_767_225_600_000_000_000;

    private readonly BookLevel[] _bids = new BookLevel[10];
    private readonly BookLevel[] _asks = new BookLevel[10];
    private readonly BookLevelChange[] _change = [new(BookSide.Bid, 2_301_200, 1_300, 4)];
    private readonly byte[] _buffer = new byte[BookMessageEncoder.MaxSnapshotBytes(10, 10)];
    private readonly ArrayBufferWriter<byte> _writerBuffer = new(4096);
    private readonly BatchWriter _batch = new(64 * 1024);
    private long _seq = 5_210;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < 10; i++)
        {
            _bids[i] = new BookLevel(2_301_200 - (i * 100), 100 + (i * 250), 1 + i);
            _asks[i] = new BookLevel(2_301_300 + (i * 100), 300 + (i * 200), 2 + i);
        }

        var snapshot = BookMessageEncoder.EncodeSnapshot(_buffer, 9, default, 3, 1, _seq, 10, _bids, _asks, BookChecksum.Compute(_bids, _asks), T0, T0 + 33_000);
        var change = BookMessageEncoder.EncodeChange(_buffer, 3, 1, _seq, _change, 0xbc1149b4, T0, T0 + 33_000);
        Console.WriteLine($"// wire bytes: 10-level snapshot {snapshot}, single-level change {change}");
    }

    [Benchmark(Description = "BookMessageEncoder.EncodeSnapshot (10 + 10 levels)")]
    [BenchmarkCategory("Snapshot10")]
    public int Snapshot10_Encoder() =>
        BookMessageEncoder.EncodeSnapshot(_buffer, 9, default, 3, 1, ++_seq, 10, _bids, _asks, 0xbc1149b4, T0, T0 + 33_000);

    [Benchmark(Description = "BatchWriter.TryAppendBookSnapshot (direct into frame)")]
    [BenchmarkCategory("Snapshot10")]
    public int Snapshot10_Batch()
    {
        _batch.Reset();
        _batch.TryAppendBookSnapshot(9, default, 3, 1, ++_seq, 10, _bids, _asks, 0xbc1149b4, T0, T0 + 33_000);
        return _batch.Length;
    }

    [Benchmark(Description = "MessagePackWriter, same fields", Baseline = true)]
    [BenchmarkCategory("Snapshot10")]
    public long Snapshot10_MessagePackWriter()
    {
        _writerBuffer.ResetWrittenCount();
        var w = new MessagePackWriter(_writerBuffer);
        w.WriteArrayHeader(12);
        w.Write((byte)MessageType.BookSnapshot);
        w.Write(9);
        w.Write(0);
        w.Write(3);
        w.Write(1);
        w.Write(++_seq);
        w.Write(10);
        WriteSide(ref w, _bids);
        WriteSide(ref w, _asks);
        w.Write(0xbc1149b4u);
        w.Write(T0);
        w.Write(T0 + 33_000);
        w.Flush();
        return _writerBuffer.WrittenCount;
    }

    [Benchmark(Description = "BookMessageEncoder.EncodeChange (1 level)")]
    [BenchmarkCategory("Change1")]
    public int Change1_Encoder() =>
        BookMessageEncoder.EncodeChange(_buffer, 3, 1, ++_seq, _change, 0xbc1149b4, T0, T0 + 33_000);

    [Benchmark(Description = "BatchWriter.TryAppendBookChange (direct into frame)")]
    [BenchmarkCategory("Change1")]
    public int Change1_Batch()
    {
        _batch.Reset();
        _batch.TryAppendBookChange(3, 1, ++_seq, _change, 0xbc1149b4, T0, T0 + 33_000);
        return _batch.Length;
    }

    [Benchmark(Description = "MessagePackWriter, same fields", Baseline = true)]
    [BenchmarkCategory("Change1")]
    public long Change1_MessagePackWriter()
    {
        _writerBuffer.ResetWrittenCount();
        var w = new MessagePackWriter(_writerBuffer);
        w.WriteArrayHeader(8);
        w.Write((byte)MessageType.BookChange);
        w.Write(3);
        w.Write(1);
        w.Write(++_seq);
        w.WriteArrayHeader(1);
        w.WriteArrayHeader(4);
        w.Write((byte)_change[0].Side);
        w.Write(_change[0].Price);
        w.Write(_change[0].Size);
        w.Write(_change[0].Orders);
        w.Write(0xbc1149b4u);
        w.Write(T0);
        w.Write(T0 + 33_000);
        w.Flush();
        return _writerBuffer.WrittenCount;
    }

    [Benchmark(Description = "BookChecksum.Compute (top 10 per side)")]
    [BenchmarkCategory("Checksum")]
    public uint Checksum() => BookChecksum.Compute(_bids, _asks);

    private static void WriteSide(ref MessagePackWriter w, BookLevel[] levels)
    {
        w.WriteArrayHeader(levels.Length);
        foreach (var l in levels)
        {
            w.WriteArrayHeader(3);
            w.Write(l.Price);
            w.Write(l.Size);
            w.Write(l.Orders);
        }
    }
}
