using MarketStream.Journal.Format;
using MarketStream.Journal.Storage;

namespace MarketStream.Journal.Tests;

public sealed class SegmentReaderTests
{
    [Fact]
    public void TryRead_WrittenSegment_ReturnsDefinitionsThenEveryTickIntact()
    {
        using var dir = new TestDirectory();
        var (ticks, _, path) = SegmentFiles.WriteSegment(dir.Path, 1000, seed: 1);

        using var reader = SegmentReader.Open(path, out var status)!;
        Assert.Equal(SegmentHeaderStatus.Ok, status);
        Assert.Equal(1, reader.Header.Number);

        // The segment opens with one definition per symbol.
        for (var i = 0; i < SegmentFiles.Symbols.Length; i++)
        {
            Assert.True(reader.TryRead(out var definition));
            Assert.Equal(RecordType.SymbolDefinition, definition.Type);
            Assert.Equal(i, definition.SymbolId);
            var p = definition.Payload;
            var name = System.Text.Encoding.UTF8.GetString(p.Slice(JournalFormat.SymbolDefinitionFixedLength, p[2]));
            Assert.Equal(SegmentFiles.Symbols[i].Name, name);
            Assert.Equal(SegmentFiles.Symbols[i].PriceScale, p[0]);
            Assert.Equal(SegmentFiles.Symbols[i].SizeScale, p[1]);
        }

        var read = SegmentFiles.ReadTicks(reader);
        Assert.Equal(ticks, read);
        Assert.Equal(SegmentTail.Clean, reader.Tail);
        Assert.Equal(new FileInfo(path).Length, reader.ValidLength);
    }

    [Theory]
    [InlineData(SegmentHeaderStatus.BadMagic, 0)]
    [InlineData(SegmentHeaderStatus.UnsupportedVersion, JournalFormat.HeaderVersionOffset)]
    [InlineData(SegmentHeaderStatus.BadChecksum, JournalFormat.HeaderNumberOffset)]
    public void Open_DamagedHeader_ReportsWhy(SegmentHeaderStatus expected, int offset)
    {
        using var dir = new TestDirectory();
        var (_, _, path) = SegmentFiles.WriteSegment(dir.Path, 10, seed: 2);
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        Assert.Null(SegmentReader.Open(path, out var status));
        Assert.Equal(expected, status);

        var scan = JournalScan.Run(dir.Path, repair: true);
        Assert.Equal(path, scan.UnreadablePath);
        Assert.Contains(expected.ToString(), scan.UnreadableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_TornTail_CutsItOffAndKeepsEverythingBefore()
    {
        using var dir = new TestDirectory();
        var (ticks, ends, path) = SegmentFiles.WriteSegment(dir.Path, 100, seed: 3);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(ends[49] + 5); // record 51 cut after 5 bytes
        }

        var scan = JournalScan.Run(dir.Path, repair: true);
        Assert.Null(scan.UnreadablePath);
        Assert.Equal(SegmentTail.Torn, scan.NewestTail);
        Assert.Equal(5, scan.BytesCut);
        Assert.Equal(ends[49], new FileInfo(path).Length);

        using var reader = SegmentReader.Open(path, out _)!;
        Assert.Equal(ticks[..50], SegmentFiles.ReadTicks(reader));
        Assert.Equal(SegmentTail.Clean, reader.Tail);
    }

    [Fact]
    public void Scan_CorruptRecordInOlderSegment_MakesJournalUnreadable()
    {
        using var dir = new TestDirectory();
        SegmentFiles.WriteSegment(dir.Path, 100, seed: 4);
        var (_, ends, _) = SegmentFiles.WriteSegment(dir.Path, 100, seed: 5);
        var older = Path.Combine(dir.Path, JournalFormat.SegmentFileName(1));
        var bytes = File.ReadAllBytes(older);
        bytes[ends[10] + 20] ^= 0x40;
        File.WriteAllBytes(older, bytes);

        var scan = JournalScan.Run(dir.Path, repair: true);
        Assert.Equal(older, scan.UnreadablePath);

        var aside = JournalScan.MoveAside(dir.Path, DateTimeOffset.UnixEpoch);
        try
        {
            Assert.False(Directory.Exists(dir.Path));
            Assert.EndsWith(".unreadable-19700101T000000Z", aside, StringComparison.Ordinal);
            Assert.Equal(2, Directory.GetFiles(aside).Length);
        }
        finally
        {
            Directory.Delete(aside, recursive: true);
        }
    }

    [Fact]
    public void TryRead_HugeLengthPrefix_IsCorruptionNotAnAllocation()
    {
        using var dir = new TestDirectory();
        var (ticks, ends, path) = SegmentFiles.WriteSegment(dir.Path, 20, seed: 6);
        var bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan((int)ends[9]), int.MaxValue);
        File.WriteAllBytes(path, bytes);

        using var reader = SegmentReader.Open(path, out _)!;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = SegmentFiles.ReadTicks(reader);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Equal(ticks[..10], read);
        Assert.Equal(SegmentTail.Corrupt, reader.Tail);
        Assert.Equal(ends[9], reader.ValidLength);
    }
}
