using MarketStream.Core.Engine;
using MarketStream.Model;
using MarketStream.Core.Ring;
using MarketStream.Core.Symbols;
using MarketStream.Journal.Format;
using MarketStream.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketStream.Journal.Tests;

public sealed class TickJournalTests
{
    private static SymbolRegistry Registry()
    {
        var registry = new SymbolRegistry(64);
        foreach (var s in SegmentFiles.Symbols)
        {
            registry.GetOrAdd(new SymbolDefinition(s.Name, s.PriceScale, s.SizeScale, s.Currency, s.Venue));
        }

        return registry;
    }

    private static JournalOptions Options(string path) => new()
    {
        Enabled = true,
        Path = path,
        SegmentBytes = 1 << 20,
        MaxTotalBytes = 1L << 30,
        RetryInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Reads every update record of the journal directory, segment by segment, in order.</summary>
    private static List<Tick> ReadJournal(string directory, out long gaps)
    {
        gaps = 0;
        var ticks = new List<Tick>();
        foreach (var path in Directory.GetFiles(directory, "*.msj").Order(StringComparer.Ordinal))
        {
            using var reader = SegmentReader.Open(path, out var status)!;
            Assert.Equal(SegmentHeaderStatus.Ok, status);
            while (reader.TryRead(out var record))
            {
                if (record.Type == RecordType.Update)
                {
                    ticks.Add(SegmentFiles.ToTick(in record));
                }
                else if (record.Type == RecordType.Gap)
                {
                    gaps += BitConverter.ToInt64(record.Payload);
                }
            }

            Assert.Equal(SegmentTail.Clean, reader.Tail);
        }

        return ticks;
    }

    [Fact]
    public void Stage_BesideFanOut_JournalsEverySequencedUpdateInOrder()
    {
        using var dir = new TestDirectory();
        var registry = Registry();
        var engine = new MarketEngine(registry, new NullUpdateEncoder(), new EngineOptions { StartEpoch = 42 });
        using var journal = TickJournal.Open(Options(dir.Path), registry, TimeProvider.System, NullLogger.Instance);
        using var pipeline = new RingPipeline<Tick>(1024, ProducerType.Single);
        var sequencer = pipeline.HandleWith(engine.Sequencing);
        pipeline.HandleWith(engine.FanOut, sequencer);
        pipeline.HandleWith(journal.Stage, sequencer);
        journal.Start();
        pipeline.Start();

        const int Count = 100_000; // ~8 MiB: several segments of 1 MiB
        var random = new Random(9);
        var published = new Tick[Count];
        var ring = pipeline.RingBuffer;
        for (var i = 0; i < Count; i++)
        {
            var tick = SegmentFiles.MakeTick(random, 0);
            tick.Epoch = 0; // assigned by the sequencer
            tick.ServerTimeNs = 0;
            published[i] = tick;
            var seq = ring.Next();
            ring[seq] = tick;
            ring.Publish(seq);
        }

        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(30)));
        Assert.True(journal.Stop(TimeSpan.FromSeconds(30)));

        var journaled = ReadJournal(dir.Path, out var gaps);
        Assert.Equal(0, gaps);
        Assert.Equal(0, journal.Missed);
        Assert.Equal(Count, journaled.Count);
        Assert.True(journal.SegmentCount >= 5, $"{journal.SegmentCount} segments");
        var lastSeq = new long[SegmentFiles.Symbols.Length];
        for (var i = 0; i < Count; i++)
        {
            var j = journaled[i];
            var p = published[i];
            Assert.Equal(42, j.Epoch);
            Assert.Equal(++lastSeq[p.SymbolId], j.Seq);
            Assert.True(j.ServerTimeNs > 0);
            p.Epoch = j.Epoch;
            p.Seq = j.Seq;
            p.ServerTimeNs = j.ServerTimeNs;
            Assert.Equal(p, j);
        }
    }

    [Fact]
    public void OnEvent_SteadyState_AllocatesNothing()
    {
        using var dir = new TestDirectory();
        var options = Options(dir.Path);
        using var journal = TickJournal.Open(options, Registry(), TimeProvider.System, NullLogger.Instance);
        journal.Start();
        var stage = journal.Stage;
        var tick = SegmentFiles.MakeTick(new Random(1), 1);
        long sequence = 0;
        void Round()
        {
            for (var i = 0; i < 10_000; i++)
            {
                tick.Seq++;
                stage.OnEvent(ref tick, sequence++, endOfBatch: (i & 63) == 63);
            }
        }

        Round();
        Assert.Equal(0, Allocations.BestOf(5, Round));
        Assert.True(journal.Stop(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void FlushInterval_HoldsRecordsUntilTheIntervalThenWritesThem()
    {
        using var dir = new TestDirectory();
        var options = Options(dir.Path);
        options.FlushIntervalMs = 1000;
        using var journal = TickJournal.Open(options, Registry(), TimeProvider.System, NullLogger.Instance);
        journal.Start();
        Thread.Sleep(50); // let the writer reach its first sleep
        var tick = SegmentFiles.MakeTick(new Random(2), 1);
        journal.Stage.OnEvent(ref tick, 0, endOfBatch: true);

        Thread.Sleep(300);
        Assert.Equal(0, journal.RecordsWritten);
        Assert.True(SpinWait.SpinUntil(() => journal.RecordsWritten == 1, TimeSpan.FromSeconds(10)));
        Assert.True(journal.Stop(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Retention_TotalSize_DeletesOldestSegmentsAndKeepsNewest()
    {
        using var dir = new TestDirectory();
        var options = Options(dir.Path);
        options.MaxTotalBytes = 2L << 20;
        var time = new ManualTime(DateTimeOffset.Parse("2026-12-08T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var journal = TickJournal.Open(options, Registry(), time, NullLogger.Instance);
        var writer = new Storage.SegmentWriter(journal.Directory, [], options.SegmentBytes, () => time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, () => SegmentFiles.Symbols);
        var buffer = new byte[RecordWriter.MaxTickRecordLength];
        var random = new Random(3);
        for (var i = 0; i < 60_000; i++)
        {
            var tick = SegmentFiles.MakeTick(random, i + 1);
            writer.Write(buffer.AsSpan(0, RecordWriter.WriteTick(buffer, in tick)));
        }

        var before = writer.Segments.Count;
        Assert.True(before >= 4);
        writer.ApplyRetention(cutoffUnixNs: 0, options.MaxTotalBytes);
        long total = 0;
        foreach (var s in writer.Segments)
        {
            total += s.Length;
        }

        Assert.True(total <= options.MaxTotalBytes, $"{total} bytes kept");
        Assert.Equal(writer.Segments.Count, Directory.GetFiles(journal.Directory, "*.msj").Length);

        // Age: segments whose successor began before the cut-off go; the newest always stays.
        time.Advance(TimeSpan.FromHours(25));
        writer.ApplyRetention(time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, long.MaxValue);
        Assert.Single(writer.Segments);
        writer.Dispose();
    }

    [Fact]
    public void WriteFault_PausesJournalNotTheRing_ThenRecoversWithGapRecord()
    {
        using var dir = new TestDirectory();
        var registry = Registry();
        var engine = new MarketEngine(registry, new NullUpdateEncoder(), new EngineOptions { StartEpoch = 7 });
        using var journal = TickJournal.Open(Options(dir.Path), registry, TimeProvider.System, NullLogger.Instance);
        using var pipeline = new RingPipeline<Tick>(1024, ProducerType.Single);
        var sequencer = pipeline.HandleWith(engine.Sequencing);
        pipeline.HandleWith(engine.FanOut, sequencer);
        pipeline.HandleWith(journal.Stage, sequencer);
        journal.Start();
        pipeline.Start();

        // The next segment's name is taken by a directory: rolling to it fails like a full or read-only disk.
        var blocker = Path.Combine(dir.Path, JournalFormat.SegmentFileName(2));
        Directory.CreateDirectory(blocker);
        var random = new Random(4);
        var ring = pipeline.RingBuffer;
        void Publish(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var tick = SegmentFiles.MakeTick(random, 0);
                tick.Epoch = 0;
                var seq = ring.Next();
                ring[seq] = tick;
                ring.Publish(seq);
            }
        }

        Publish(40_000); // > 1 MiB: the roll to segment 2 fails
        Assert.True(SpinWait.SpinUntil(() => journal.State == JournalState.Faulted, TimeSpan.FromSeconds(20)));
        Publish(5_000);
        Assert.True(SpinWait.SpinUntil(() => engine.TicksSequenced == 45_000, TimeSpan.FromSeconds(20)), "the ring kept going");

        Directory.Delete(blocker);
        Assert.True(SpinWait.SpinUntil(() => journal.State == JournalState.Running, TimeSpan.FromSeconds(20)));
        Publish(1_000);
        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(30)));
        Assert.True(journal.Stop(TimeSpan.FromSeconds(30)));

        var journaled = ReadJournal(dir.Path, out var gaps);
        Assert.True(journal.Faults >= 1);
        Assert.True(gaps > 0);
        Assert.Equal(45_000 + 1_000, journaled.Count + gaps);
        Assert.Equal(journal.Missed, gaps);
    }

    [Fact]
    public void Open_UnreadableJournal_MovesItAsideAndStartsEmpty()
    {
        using var dir = new TestDirectory();
        var journalPath = Path.Combine(dir.Path, "journal");
        Directory.CreateDirectory(journalPath);
        File.WriteAllBytes(Path.Combine(journalPath, JournalFormat.SegmentFileName(1)), new byte[100]); // no magic

        using (var journal = TickJournal.Open(Options(journalPath), Registry(), TimeProvider.System, NullLogger.Instance))
        {
            journal.Start();
            var tick = SegmentFiles.MakeTick(new Random(1), 1);
            journal.Stage.OnEvent(ref tick, 0, endOfBatch: true);
            Assert.True(journal.Stop(TimeSpan.FromSeconds(10)));
            Assert.Equal(JournalState.Stopped, journal.State);
        }

        var aside = Assert.Single(Directory.GetDirectories(dir.Path, "journal.unreadable-*"));
        Assert.Single(Directory.GetFiles(aside));
        Assert.Single(ReadJournal(journalPath, out _));
    }

    [Fact]
    public void Open_TornTail_CutsItAndAppendsInANewSegment()
    {
        using var dir = new TestDirectory();
        var (ticks, ends, path) = SegmentFiles.WriteSegment(dir.Path, 50, seed: 8);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(ends[39] + 30);
        }

        using (var journal = TickJournal.Open(Options(dir.Path), Registry(), TimeProvider.System, NullLogger.Instance))
        {
            journal.Start();
            var tick = SegmentFiles.MakeTick(new Random(1), 41);
            journal.Stage.OnEvent(ref tick, 0, endOfBatch: true);
            Assert.True(journal.Stop(TimeSpan.FromSeconds(10)));
        }

        var read = ReadJournal(dir.Path, out _);
        Assert.Equal(41, read.Count);
        Assert.Equal(ticks[..40], read[..40]);
        Assert.Equal(2, Directory.GetFiles(dir.Path, "*.msj").Length);
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
