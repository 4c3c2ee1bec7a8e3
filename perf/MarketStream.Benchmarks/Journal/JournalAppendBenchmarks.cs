using BenchmarkDotNet.Attributes;
using MarketStream.Core.Market;
using MarketStream.Core.Symbols;
using MarketStream.Journal;
using MarketStream.Journal.Format;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketStream.Benchmarks.Journal;

/// <summary>
/// Journal append (perf/README.md, Journal): <see cref="Stage"/> is the journal stage's
/// <c>OnEvent</c> — encode, CRC-32C, commit into the hand-off, wake the writer once per 64-tick
/// batch — with the real writer thread writing to segment files in a temporary directory (page
/// cache; fsync once a second). <see cref="Encode"/> is the record encoding alone. 1,024 ticks per
/// operation (3 quotes to 1 trade), reported per tick.
/// <c>dotnet run -c Release --project perf/MarketStream.Benchmarks -- --filter '*JournalAppend*'</c>
/// </summary>
[MemoryDiagnoser]
public class JournalAppendBenchmarks
{
    private const int TicksPerOperation = 1024;

    private readonly Tick[] _ticks = new Tick[TicksPerOperation];
    private readonly byte[] _buffer = new byte[RecordWriter.MaxTickRecordLength];
    private string _directory = "";
    private TickJournal? _journal;
    private JournalStage? _stage;
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new SymbolRegistry(1024);
        for (var i = 0; i < 1000; i++)
        {
            registry.GetOrAdd(new SymbolDefinition("S" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), 4, 0, "USD", "XNAS"));
        }

        var random = new Random(1);
        for (var i = 0; i < _ticks.Length; i++)
        {
            _ticks[i] = (i & 3) == 3
                ? new Tick { SymbolId = random.Next(1000), Kind = TickKind.Trade, Price = random.Next(), Size = 100, Epoch = 1, Seq = i + 1, ServerTimeNs = 1 }
                : new Tick { SymbolId = random.Next(1000), Kind = TickKind.Quote, BidPrice = 1000, AskPrice = 1001, BidSize = 5, AskSize = 7, Epoch = 1, Seq = i + 1, ServerTimeNs = 1 };
        }

        _directory = Path.Combine(Path.GetTempPath(), "msj-bdn-" + Guid.NewGuid().ToString("N"));
        _journal = TickJournal.Open(new JournalOptions { Enabled = true, Path = _directory, SegmentBytes = 256L << 20, MaxTotalBytes = 1L << 30 }, registry, TimeProvider.System, NullLogger.Instance);
        _stage = _journal.Stage;
        _journal.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _journal!.Stop(TimeSpan.FromSeconds(60));
        Console.WriteLine($"// journal: {_journal.BytesWritten / (1 << 20):N0} MiB written, {_journal.RecordsWritten:N0} records, {_journal.Missed:N0} missed");
        _journal.Dispose();
        Directory.Delete(_directory, recursive: true);
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
