using System.Buffers;
using MarketStream.Testing;
using MessagePack;

namespace MarketStream.Protocol.Tests;

/// <summary>
/// The channel messages (docs/protocol.md §4.21–§4.28): the span encoders write what MessagePackWriter writes for the
/// same fields, every message round-trips through <see cref="ServerFrameReader"/>, the book examples of the doc
/// rebuild a book whose checksums match the messages, and the book encoders allocate nothing.
/// </summary>
public class ChannelMessageCodecTests
{
    private const long T0 = ProtocolExamples.T0;

    private delegate void WriteBody(ref MessagePackWriter w);

    private static byte[] Reference(WriteBody write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        write(ref w);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static BookLevel[] RandomLevels(Random r, int n) =>
        Enumerable.Range(0, n).Select(_ => new BookLevel(r.NextInt64(long.MinValue, long.MaxValue), r.NextInt64(), r.Next())).ToArray();

    private static BookLevelChange[] RandomChanges(Random r, int n) =>
        Enumerable.Range(0, n).Select(_ => new BookLevelChange(r.Next(2) == 0 ? BookSide.Bid : BookSide.Ask, r.NextInt64(long.MinValue, long.MaxValue), r.Next(3) == 0 ? 0 : r.NextInt64(), r.Next(0, 70_000))).ToArray();

    private static long AnyLong(Random r) => r.Next(4) switch
    {
        0 => r.Next(0, 128),
        1 => r.NextInt64(long.MinValue, long.MaxValue),
        2 => T0 + r.Next(),
        _ => -r.Next(0, 40_000),
    };

    [Fact]
    public void EncodeSnapshot_RandomBooks_MatchesMessagePackWriterAndRoundTrips()
    {
        var r = new Random(30);
        for (var round = 0; round < 2_000; round++)
        {
            var bids = RandomLevels(r, r.Next(0, 20));
            var asks = RandomLevels(r, r.Next(0, 20));
            var (req, id, epoch, seq, depth, checksum, exch, server) = (AnyLong(r), r.Next(), AnyLong(r), AnyLong(r), r.Next(10, 1000), (uint)r.NextInt64(0, uint.MaxValue + 1L), AnyLong(r), AnyLong(r));
            var reason = (ResetReason)r.Next(0, 4);
            var buffer = new byte[BookMessageEncoder.MaxSnapshotBytes(bids.Length, asks.Length)];
            var bytes = buffer.AsSpan(0, BookMessageEncoder.EncodeSnapshot(buffer, req, reason, id, epoch, seq, depth, bids, asks, checksum, exch, server)).ToArray();

            var expected = Reference((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(12);
                w.Write(30); w.Write(req); w.Write((int)reason); w.Write(id); w.Write(epoch); w.Write(seq); w.Write(depth);
                foreach (var side in new[] { bids, asks })
                {
                    w.WriteArrayHeader(side.Length);
                    foreach (var l in side)
                    {
                        w.WriteArrayHeader(3); w.Write(l.Price); w.Write(l.Size); w.Write(l.Orders);
                    }
                }

                w.Write(checksum); w.Write(exch); w.Write(server);
            });
            Assert.Equal(expected, bytes);

            var m = Assert.IsType<BookSnapshotMessage>(Assert.Single(Wire.DecodeServer(bytes, out _)).Body);
            Assert.Equal((req, reason, id, epoch, seq, depth, checksum, exch, server), (m.RequestId, m.Reason, m.SymbolId, m.Epoch, m.Seq, m.Depth, m.Checksum, m.ExchangeTimeNs, m.ServerTimeNs));
            Assert.Equal(bids, m.Bids);
            Assert.Equal(asks, m.Asks);
        }
    }

    [Fact]
    public void EncodeChangeAndMerged_RandomLevels_MatchMessagePackWriterAndRoundTrip()
    {
        var r = new Random(31);
        for (var round = 0; round < 2_000; round++)
        {
            var levels = RandomChanges(r, r.Next(0, 20));
            var (id, epoch, first, last, count, checksum, exch, server) = (r.Next(), AnyLong(r), AnyLong(r), AnyLong(r), r.Next(), (uint)r.NextInt64(0, uint.MaxValue + 1L), AnyLong(r), AnyLong(r));
            void WriteLevels(ref MessagePackWriter w)
            {
                w.WriteArrayHeader(levels.Length);
                foreach (var l in levels)
                {
                    w.WriteArrayHeader(4); w.Write((byte)l.Side); w.Write(l.Price); w.Write(l.Size); w.Write(l.Orders);
                }
            }

            var change = new byte[BookMessageEncoder.MaxChangeBytes(levels.Length)];
            var changeBytes = change.AsSpan(0, BookMessageEncoder.EncodeChange(change, id, epoch, last, levels, checksum, exch, server)).ToArray();
            Assert.Equal(Reference((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(8); w.Write(31); w.Write(id); w.Write(epoch); w.Write(last);
                WriteLevels(ref w);
                w.Write(checksum); w.Write(exch); w.Write(server);
            }), changeBytes);
            var c = Assert.IsType<BookChangeMessage>(Assert.Single(Wire.DecodeServer(changeBytes, out _)).Body);
            Assert.Equal((id, epoch, last, checksum, exch, server), (c.SymbolId, c.Epoch, c.Seq, c.Checksum, c.ExchangeTimeNs, c.ServerTimeNs));
            Assert.Equal(levels, c.Levels);

            var merged = new byte[BookMessageEncoder.MaxMergedBytes(levels.Length)];
            var mergedBytes = merged.AsSpan(0, BookMessageEncoder.EncodeMerged(merged, id, epoch, first, last, count, levels, checksum, exch, server)).ToArray();
            Assert.Equal(Reference((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(10); w.Write(32); w.Write(id); w.Write(epoch); w.Write(first); w.Write(last); w.Write(count);
                WriteLevels(ref w);
                w.Write(checksum); w.Write(exch); w.Write(server);
            }), mergedBytes);
            var mm = Assert.IsType<BookMergedMessage>(Assert.Single(Wire.DecodeServer(mergedBytes, out _)).Body);
            Assert.Equal((id, epoch, first, last, count, checksum), (mm.SymbolId, mm.Epoch, mm.FirstSeq, mm.LastSeq, mm.Count, mm.Checksum));
            Assert.Equal(levels, mm.Levels);
        }
    }

    [Fact]
    public void ValueMessages_ExtremeAndRandomValues_RoundTripWithinTheirBounds()
    {
        var r = new Random(32);
        for (var round = 0; round < 2_000; round++)
        {
            var bar = new Bar
            {
                SymbolId = r.Next(int.MinValue, int.MaxValue), Epoch = AnyLong(r), Seq = AnyLong(r), Count = r.Next(), IntervalSeconds = r.Next(1, int.MaxValue),
                StartTimeNs = AnyLong(r), Open = AnyLong(r), High = AnyLong(r), Low = AnyLong(r), Close = AnyLong(r), Volume = AnyLong(r),
                TradeCount = AnyLong(r), Vwap = AnyLong(r), Final = r.Next(2) == 1,
            };
            var stats = new SessionStatistics
            {
                SymbolId = r.Next(int.MinValue, int.MaxValue), Epoch = AnyLong(r), Seq = AnyLong(r), Count = r.Next(), SessionDate = r.Next(0, 99_991_231),
                Open = AnyLong(r), High = AnyLong(r), Low = AnyLong(r), Last = AnyLong(r), Volume = AnyLong(r), Vwap = AnyLong(r),
                TradeCount = AnyLong(r), PreviousClose = AnyLong(r), Change = AnyLong(r), ServerTimeNs = AnyLong(r),
            };
            var status = new SymbolStatus
            {
                SymbolId = r.Next(int.MinValue, int.MaxValue), Epoch = AnyLong(r), Seq = AnyLong(r), Count = r.Next(),
                Status = (TradingStatus)r.Next(0, 256), HaltReason = (HaltReason)r.Next(0, 256), Stale = (Staleness)r.Next(0, 256),
                SinceNs = AnyLong(r), ServerTimeNs = AnyLong(r),
            };

            var buffer = new byte[ChannelMessageEncoder.MaxBarBytes];
            var barBytes = buffer.AsSpan(0, ChannelMessageEncoder.EncodeBar(bar, buffer)).ToArray();
            Assert.True(barBytes.Length <= ChannelMessageEncoder.MaxBarBytes);
            Assert.Equal(bar, Assert.IsType<BarMessage>(Assert.Single(Wire.DecodeServer(barBytes, out _)).Body).Value);

            var statsBuffer = new byte[ChannelMessageEncoder.MaxStatisticsBytes];
            var statsBytes = statsBuffer.AsSpan(0, ChannelMessageEncoder.EncodeStatistics(stats, statsBuffer)).ToArray();
            Assert.Equal(stats, Assert.IsType<StatisticsMessage>(Assert.Single(Wire.DecodeServer(statsBytes, out _)).Body).Value);

            var statusBytes = buffer.AsSpan(0, ChannelMessageEncoder.EncodeStatus(status, buffer)).ToArray();
            Assert.Equal(status, Assert.IsType<StatusMessage>(Assert.Single(Wire.DecodeServer(statusBytes, out _)).Body).Value);

            var (req, id, replayed, time) = (AnyLong(r), r.Next(int.MinValue, int.MaxValue), r.NextInt64(0, long.MaxValue), AnyLong(r));
            var rcBytes = buffer.AsSpan(0, ChannelMessageEncoder.EncodeReplayComplete(req, id, replayed, time, buffer)).ToArray();
            Assert.Equal(new ReplayCompleteMessage(req, id, replayed, time), Assert.Single(Wire.DecodeServer(rcBytes, out _)).Body);
        }
    }

    [Fact]
    public void Encoders_DestinationTooSmall_Throw()
    {
        Assert.Throws<ArgumentException>(() => BookMessageEncoder.EncodeChange(new byte[10], 1, 1, 1, ChannelExamples.Change, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => BookMessageEncoder.EncodeSnapshot(new byte[50], 1, default, 1, 1, 1, 10, ChannelExamples.Bids, ChannelExamples.Asks, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => ChannelMessageEncoder.EncodeBar(default, new byte[20]));
    }

    /// <summary>§4.22 client rule: set or delete each level, keep the best <c>depth</c> per side.</summary>
    private static void Apply(SortedDictionary<long, BookLevel> bids, SortedDictionary<long, BookLevel> asks, IEnumerable<BookLevelChange> levels, int depth)
    {
        foreach (var l in levels)
        {
            var side = l.Side == BookSide.Bid ? bids : asks;
            if (l.Size == 0)
            {
                side.Remove(l.Price);
            }
            else
            {
                side[l.Price] = new BookLevel(l.Price, l.Size, l.Orders);
            }
        }

        while (bids.Count > depth)
        {
            bids.Remove(bids.Keys.Min());
        }

        while (asks.Count > depth)
        {
            asks.Remove(asks.Keys.Max());
        }
    }

    private static uint Checksum(SortedDictionary<long, BookLevel> bids, SortedDictionary<long, BookLevel> asks) =>
        BookChecksum.Compute(bids.Values.Reverse().ToArray(), asks.Values.ToArray());

    [Fact]
    public void DocBookExamples_AppliedByTheClientRule_MatchTheirChecksumsAndSequences()
    {
        var examples = ProtocolExamples.All.ToDictionary(e => e.Name, e => e.Bytes);
        var snapshot = Assert.IsType<BookSnapshotMessage>(Assert.Single(Wire.DecodeServer(examples["book-snapshot"], out _)).Body);
        var bids = new SortedDictionary<long, BookLevel>(snapshot.Bids.ToDictionary(l => l.Price));
        var asks = new SortedDictionary<long, BookLevel>(snapshot.Asks.ToDictionary(l => l.Price));
        Assert.Equal(snapshot.Checksum, Checksum(bids, asks));
        var last = snapshot.Seq;

        var change = Assert.IsType<BookChangeMessage>(Assert.Single(Wire.DecodeServer(examples["book-change"], out _)).Body);
        Assert.Equal(last + 1, change.Seq);
        Apply(bids, asks, change.Levels, snapshot.Depth);
        Assert.Equal(change.Checksum, Checksum(bids, asks));
        last = change.Seq;

        var merged = Assert.IsType<BookMergedMessage>(Assert.Single(Wire.DecodeServer(examples["book-merged"], out _)).Body);
        Assert.Equal(last + 1, merged.FirstSeq);
        Assert.Equal(merged.Count, merged.LastSeq - merged.FirstSeq + 1);
        Apply(bids, asks, merged.Levels, snapshot.Depth);
        Assert.Equal(merged.Checksum, Checksum(bids, asks));
        Assert.Equal(ChannelExamples.BidsAfterMerge, bids.Values.Reverse());
    }

    [Fact]
    public void BookMessages_FromANewerServer_ExtraElementsSkipped()
    {
        // A level and the message each carry one element more than v1 knows (§3 forward compatibility).
        var bytes = Reference((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(9); w.Write(31); w.Write(3); w.Write(1); w.Write(5211);
            w.WriteArrayHeader(1); w.WriteArrayHeader(5); w.Write(1); w.Write(2301200); w.Write(0); w.Write(0); w.Write("new");
            w.Write(7u); w.Write(T0); w.Write(T0); w.WriteArrayHeader(2); w.Write(1); w.Write(2);
        });
        var m = Assert.IsType<BookChangeMessage>(Assert.Single(Wire.DecodeServer(bytes, out _)).Body);
        Assert.Equal(new BookLevelChange(BookSide.Bid, 2_301_200, 0, 0), Assert.Single(m.Levels));
        Assert.Equal(7u, m.Checksum);
    }

    [Fact]
    public void BookChange_InvalidSideOrChecksum_IsInvalidField()
    {
        foreach (var (side, checksum) in new[] { (3L, 7L), (0L, 7L), (1L, -1L), (1L, uint.MaxValue + 1L) })
        {
            var bytes = Reference((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(8); w.Write(31); w.Write(3); w.Write(1); w.Write(5211);
                w.WriteArrayHeader(1); w.WriteArrayHeader(4); w.Write(side); w.Write(2301200); w.Write(0); w.Write(0);
                w.Write(checksum); w.Write(T0); w.Write(T0);
            });
            Assert.Equal(ErrorCode.InvalidField, Wire.DrainServer(bytes).Error.Code);
        }
    }

    [Fact]
    public void SubscribeAck_V1AndChannelForms_Decode()
    {
        var v1 = Wire.DecodeServer(ProtocolExamples.All.Single(e => e.Name == "subscribe-ack").Bytes, out _);
        Assert.Null(Assert.IsType<SubscribeAckMessage>(Assert.Single(v1).Body).Channels);
        var ack = Assert.IsType<SubscribeAckMessage>(Assert.Single(Wire.DecodeServer(ProtocolExamples.All.Single(e => e.Name == "subscribe-ack-channels").Bytes, out _)).Body);
        Assert.Equal([ChannelRequest.Quotes, ChannelRequest.Trades(50), ChannelRequest.Book(10), ChannelRequest.Bars(60, 100), ChannelRequest.Statistics, ChannelRequest.Status], ack.Channels);
    }

    [Fact]
    public void BatchWriter_ChannelAppends_WriteTheEncoderBytes()
    {
        var batch = new BatchWriter(4096);
        Assert.True(batch.TryAppendBookSnapshot(9, default, 3, 1, 5_210, 10, ChannelExamples.Bids, ChannelExamples.Asks, 1, T0, T0));
        Assert.True(batch.TryAppendBookChange(3, 1, 5_211, ChannelExamples.Change, 2, T0, T0));
        Assert.True(batch.TryAppendBookMerged(3, 1, 5_212, 5_215, 4, ChannelExamples.Merge, 3, T0, T0));
        Assert.True(batch.TryAppendBar(ChannelExamples.OpenBar));
        Assert.True(batch.TryAppendStatistics(ChannelExamples.Statistics));
        Assert.True(batch.TryAppendStatus(ChannelExamples.Halted));
        Assert.True(batch.TryAppendReplayComplete(11, 3, 48_211, T0));
        var messages = Wire.DecodeServer(batch.Complete().ToArray(), out var isBatch);
        Assert.True(isBatch);
        Assert.Equal(
            [MessageType.BookSnapshot, MessageType.BookChange, MessageType.BookMerged, MessageType.Bar, MessageType.Statistics, MessageType.Status, MessageType.ReplayComplete],
            messages.Select(m => m.Type));
        Assert.Equal(ChannelExamples.Merge, Assert.IsType<BookMergedMessage>(messages[2].Body).Levels);
        Assert.Equal(ChannelExamples.Halted, Assert.IsType<StatusMessage>(messages[5].Body).Value);
    }

    [Fact]
    public void BatchWriter_NearlyFull_AppendsWhatFitsAndNothingElse()
    {
        // Fill the frame until a BookChange's worst case no longer fits, then append until it really does not.
        var batch = new BatchWriter(BatchWriter.MinimumCapacity + 64);
        var bar = ChannelExamples.OpenBar;
        while (batch.Remaining >= BookMessageEncoder.MaxSingleChangeBytes)
        {
            Assert.True(batch.TryAppendBar(bar));
        }

        var appended = 0;
        while (batch.TryAppendBookChange(3, 1, 5_211, ChannelExamples.Change, 2, T0, T0))
        {
            appended++;
        }

        var before = (batch.Count, batch.Length);
        Assert.False(batch.TryAppendBookSnapshot(9, default, 3, 1, 5_210, 10, ChannelExamples.Bids, ChannelExamples.Asks, 1, T0, T0));
        Assert.Equal(before, (batch.Count, batch.Length));
        var messages = Wire.DecodeServer(batch.Complete().ToArray(), out _);
        Assert.Equal(appended, messages.Count(m => m.Type == MessageType.BookChange));
        Assert.True(batch.Length <= batch.Capacity);
    }

    [Fact]
    public void BookEncoders_SteadyState_AllocateNothing()
    {
        var bids = Enumerable.Range(0, 10).Select(i => new BookLevel(2_301_200 - (i * 100), 100 + i, 1 + i)).ToArray();
        var asks = Enumerable.Range(0, 10).Select(i => new BookLevel(2_301_300 + (i * 100), 100 + i, 1 + i)).ToArray();
        var change = new BookLevelChange(BookSide.Bid, 2_301_200, 300, 2);
        var buffer = new byte[BookMessageEncoder.MaxSnapshotBytes(10, 10)];
        var batch = new BatchWriter(64 * 1024);
        var bar = ChannelExamples.OpenBar;
        var stats = ChannelExamples.Statistics;
        var status = ChannelExamples.Halted;

        void Round()
        {
            for (var i = 0; i < 2_000; i++)
            {
                var checksum = BookChecksum.Compute(bids, asks);
                BookMessageEncoder.EncodeSnapshot(buffer, 1, default, 3, 1, i, 10, bids, asks, checksum, T0, T0);
                BookMessageEncoder.EncodeChange(buffer, 3, 1, i, new ReadOnlySpan<BookLevelChange>(in change), checksum, T0, T0);
                BookMessageEncoder.EncodeMerged(buffer, 3, 1, i, i + 3, 4, ChannelExamples.Merge, checksum, T0, T0);
                batch.Reset();
                batch.TryAppendBookSnapshot(1, default, 3, 1, i, 10, bids, asks, checksum, T0, T0);
                batch.TryAppendBookChange(3, 1, i, new ReadOnlySpan<BookLevelChange>(in change), checksum, T0, T0);
                batch.TryAppendBar(bar);
                batch.TryAppendStatistics(stats);
                batch.TryAppendStatus(status);
            }
        }

        Round();
        Assert.Equal(0, Allocations.BestOf(3, Round));
    }
}
