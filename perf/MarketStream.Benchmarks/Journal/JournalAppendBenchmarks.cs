using BenchmarkDotNet.Attributes;
using MarketStream.Model;
using MarketStream.Journal;
using MarketStream.Journal.Format;

namespace MarketStream.Benchmarks.Journal;

/// <summary>
/// Journal append (perf/README.md, Journal): <see cref="Stage"/> is the journal stage's
/// <c>OnEvent</c> — encode, CRC-32C, commit into the hand-off, wake check once per 64-tick batch —
/// with the hand-off emptied on the same thread after each 1,024 ticks (no disk: the disk's rate is
/// a separate figure, engine-throughput <c>--journal on</c>), so every tick takes the append path and
/// none the "hand-off full" one. <see cref="Encode"/> is the record encoding alone. 1,024 ticks per
/// operation (3 quotes to 1 trade), reported per tick.
/// <c>dotnet run -c Release --project perf/MarketStream.Benchmarks -- --filter '*JournalAppend*'</c>
/// </summary>
[MemoryDiagnoser]
public class JournalAppendBenchmarks
{
    private const int TicksPerOperation = 1024;

    private readonly Tick[] _ticks = new Tick[TicksPerOperation];
    private readonly byte[] _buffer = new byte[RecordWriter.MaxTickRecordLength];
    private JournalHandOff? _handOff;
    private JournalStage? _stage;
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < _ticks.Length; i++)
        {
            _ticks[i] = (i & 3) == 3
                ? new Tick { SymbolId = random.Next(1000), Kind = TickKind.Trade, Price = random.Next(), Size = 100, Epoch = 1, Seq = i + 1, ServerTimeNs = 1 }
                : new Tick { SymbolId = random.Next(1000), Kind = TickKind.Quote, BidPrice = 1000, AskPrice = 1001, BidSize = 5, AskSize = 7, Epoch = 1, Seq = i + 1, ServerTimeNs = 1 };
        }

        _handOff = new JournalHandOff(16 << 20);
        _stage = new JournalStage(_handOff, new WriterWake(), wakeEveryBatch: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// journal stage: {_stage!.Appended:N0} appended, {_stage.Missed:N0} missed");
        if (_stage.Missed != 0)
        {
            throw new InvalidOperationException("The stage missed appends: the figure would not be the append path.");
        }
    }

    [Benchmark(OperationsPerInvoke = TicksPerOperation)]
    public void Stage()
    {
        var stage = _stage!;
        var ticks = _ticks;
        for (var i = 0; i < ticks.Length; i++)
        {
            stage.OnEvent(ref ticks[i], _sequence++, endOfBatch: (i & 63) == 63);
        }

        while (_handOff!.TryPeek(out var bytes))
        {
            _handOff.Consume(bytes.Length);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TicksPerOperation)]
    public int Encode()
    {
        var total = 0;
        var ticks = _ticks;
        for (var i = 0; i < ticks.Length; i++)
        {
            total += RecordWriter.WriteTick(_buffer, in ticks[i]);
        }

        return total;
    }
}
