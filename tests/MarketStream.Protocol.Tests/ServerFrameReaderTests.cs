using System.Buffers;
using MarketStream.Model;
using MarketStream.Testing;
using MessagePack;

namespace MarketStream.Protocol.Tests;

public class ServerFrameReaderTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void Read_EveryServerBodyType_RoundTrips()
    {
        var bodies = new ServerMessageBody[]
        {
            new WelcomeMessage(1, "s-1", 10, 5000, 65536, 64, 100, 262144, 5000),
            new AuthenticatedMessage(1, "alice", 0),
            new SubscribeAckMessage(2, SubscriptionMode.Full, [ProtocolExamples.EurUsd, ProtocolExamples.Aapl]),
            new SubscribeAckMessage(2, SubscriptionMode.Conflated, []),
            new UnsubscribeAckMessage(3, 2),
            new SnapshotMessage(2, ProtocolExamples.Aapl, ProtocolExamples.AaplState),
            new SnapshotMessage(2, ProtocolExamples.EurUsd, new SymbolSnapshot { SymbolId = 7 }),
            new ResetMessage(0, ResetReason.EpochChanged, ProtocolExamples.EurUsd, ProtocolExamples.EurUsdFresh),
            new HeartbeatMessage(1, 2, 3, 4, 5),
            new NoticeMessage(NoticeCode.SlowConsumer, 0, 5000, "slow"),
            new PongMessage(6, -1, 2),
            new ErrorMessage(0, ErrorCode.MalformedMessage, "bad"),
            new IngestAckMessage(7, 2),
            new IngestAckMessage(8, 1, [new(0, IngestRejectCode.UnknownSymbol), new(2, (IngestRejectCode)200)]),
        };
        foreach (var body in bodies)
        {
            var bytes = Wire.Encode(body);
            var decoded = Assert.Single(Wire.DecodeServer(bytes, out var isBatch));
            Assert.False(isBatch);
            Assert.Equal(body.Type, decoded.Type);
            Assert.Equal(bytes, Wire.Encode(decoded));
        }
    }

    [Fact]
    public void Read_Snapshot_FieldsDecoded()
    {
        var m = Assert.IsType<SnapshotMessage>(Wire.DecodeServer(Wire.Encode(new SnapshotMessage(2, ProtocolExamples.Aapl, ProtocolExamples.AaplState)), out _)[0].Body);
        Assert.Equal(ProtocolExamples.Aapl, m.Symbol);
        Assert.Equal(ProtocolExamples.AaplState, m.State);
    }

    [Fact]
    public void Read_NestedBatch_Rejected()
    {
        var (n, error) = Wire.DrainServer(Hex("92 18 91 92 18 90"));
        Assert.Equal(0, n);
        Assert.Equal(ErrorCode.UnknownMessageType, error.Code);
    }

    [Fact]
    public void Read_ClientTypeInFrame_Rejected() =>
        Assert.Equal(ErrorCode.UnknownMessageType, Wire.DrainServer(Hex("93 05 01 01")).Error.Code);

    [Fact]
    public void Read_CorruptBatch_FailsBeforeAnyMessage()
    {
        var batch = new BatchWriter(4096);
        batch.TryAppendUpdate(ProtocolExamples.QuoteTick);
        batch.TryAppendUpdate(ProtocolExamples.TradeTick);
        var frame = batch.Complete().ToArray();
        var (n, error) = Wire.DrainServer(frame.AsMemory(0, frame.Length - 1));
        Assert.Equal(0, n);
        Assert.Equal(ErrorCode.MalformedMessage, error.Code);
    }

    [Fact]
    public void Read_ExtraTrailingFields_IgnoredForForwardCompatibility()
    {
        // A v1.x server may append fields; a v1 client skips them (docs/protocol.md §3).
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(6);
        w.Write(27); w.Write(6); w.Write(1); w.Write(2);
        w.Write("future"); w.WriteNil();
        w.Flush();
        var pong = Assert.IsType<PongMessage>(Assert.Single(Wire.DecodeServer(buffer.WrittenSpan.ToArray(), out _)).Body);
        Assert.Equal(new PongMessage(6, 1, 2), pong);
    }

    [Fact]
    public void Read_MissingField_Rejected() =>
        Assert.Equal(ErrorCode.InvalidField, Wire.DrainServer(Hex("93 1b 06 01")).Error.Code);

    [Fact]
    public void Read_AfterError_KeepsReturningError()
    {
        var reader = new ServerFrameReader(Hex("c1"));
        Assert.Equal(ReadStatus.Error, reader.Read(out _, out _));
        Assert.Equal(ReadStatus.Error, reader.Read(out _, out var error));
        Assert.Equal(ErrorCode.MalformedMessage, error.Code);
    }

    [Fact]
    public void Read_64UpdateBatch_AllocatesNothing()
    {
        var batch = new BatchWriter(8192);
        var tick = ProtocolExamples.QuoteTick;
        for (var i = 0; i < 64; i++)
        {
            tick.Seq++;
            batch.TryAppendUpdate(tick);
        }

        ReadOnlyMemory<byte> frame = batch.Complete().ToArray();
        static long Sum(ReadOnlyMemory<byte> f)
        {
            var reader = new ServerFrameReader(f);
            long sum = 0;
            while (reader.Read(out var m, out _) == ReadStatus.Message)
            {
                sum += m.Update.Seq;
            }

            return sum;
        }

        Sum(frame);
        long total = 0;
        Assert.Equal(0, Allocations.BestOf(3, () => total = Sum(frame)));
        Assert.Equal(Enumerable.Range(1043, 64).Sum(), total);
    }

    [Fact]
    public void Read_UpdateInEveryIntegerEncoding_DecodesTheSameTick()
    {
        // Readers must accept any integer encoding of a value (docs/protocol.md §3), not only the smallest.
        var q = ProtocolExamples.QuoteTick;
        var encodings = new WriteInteger[]
        {
            (ref MessagePackWriter w, long v) => w.WriteInt64(v),
            (ref MessagePackWriter w, long v) => w.WriteUInt64((ulong)v),
            (ref MessagePackWriter w, long v) => { if (v <= int.MaxValue) { w.WriteInt32((int)v); } else { w.WriteInt64(v); } },
            (ref MessagePackWriter w, long v) => { if (v <= uint.MaxValue) { w.WriteUInt32((uint)v); } else { w.WriteUInt64((ulong)v); } },
            (ref MessagePackWriter w, long v) => { if (v <= short.MaxValue) { w.WriteInt16((short)v); } else { w.WriteInt64(v); } },
            (ref MessagePackWriter w, long v) => { if (v <= byte.MaxValue) { w.WriteUInt8((byte)v); } else { w.Write(v); } },
            (ref MessagePackWriter w, long v) => { if (v <= sbyte.MaxValue) { w.WriteInt8((sbyte)v); } else { w.Write(v); } },
        };
        foreach (var encode in encodings)
        {
            var frame = Encode((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(2);
                encode(ref w, 24);
                w.WriteArrayHeader(1);
                w.WriteArrayHeader(12);
                foreach (var v in new[] { 21L, q.SymbolId, q.Epoch, q.Seq, (long)q.Kind, q.BidPrice, q.BidSize, q.AskPrice, q.AskSize, q.ExchangeTimeNs, q.ReceiveTimeNs, q.ServerTimeNs })
                {
                    encode(ref w, v);
                }
            });
            Assert.Equal(q, Assert.Single(Wire.DecodeServer(frame, out _)).Update);
        }
    }

    [Fact]
    public void Read_NegativeAndLargeValues_DecodedExactly()
    {
        var tick = ProtocolExamples.QuoteTick;
        tick.BidPrice = -1; // negative fixint
        tick.BidSize = -200; // int16
        tick.AskPrice = long.MinValue;
        tick.AskSize = long.MaxValue; // uint64 within long's range
        var batch = new BatchWriter(4096);
        batch.TryAppendUpdate(tick);
        Assert.Equal(tick, Assert.Single(Wire.DecodeServer(batch.Complete().ToArray(), out _)).Update);
    }

    [Fact]
    public void Read_UInt64AboveLongMax_InvalidField()
    {
        var q = ProtocolExamples.QuoteTick;
        var frame = Encode((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(12);
            w.Write(21); w.Write(q.SymbolId); w.Write(q.Epoch); w.Write(q.Seq); w.Write((int)q.Kind);
            w.WriteUInt64(ulong.MaxValue); // bid price: not a long
            w.Write(q.BidSize); w.Write(q.AskPrice); w.Write(q.AskSize); w.Write(q.ExchangeTimeNs); w.Write(q.ReceiveTimeNs); w.Write(q.ServerTimeNs);
        });
        Assert.Equal(ErrorCode.InvalidField, Wire.DrainServer(frame).Error.Code);
    }

    [Fact]
    public void Read_MergedWithAppendedFieldsEverywhere_SkipsThemAndKeepsReading()
    {
        // A v1.x server may append fields to any message or nested array (§3), including arrays, maps and strings.
        var m = ProtocolExamples.Merged;
        var frame = Encode((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3); // [24, [...], appended]
            w.Write(24);
            w.WriteArrayHeader(2);
            w.WriteArrayHeader(13);
            w.Write(22); w.Write(m.SymbolId); w.Write(m.Epoch); w.Write(m.FirstSeq); w.Write(m.LastSeq); w.Write(m.Count);
            w.WriteArrayHeader(6);
            w.Write(m.BidPrice); w.Write(m.BidSize); w.Write(m.AskPrice); w.Write(m.AskSize);
            w.WriteArrayHeader(2); w.Write("nested"); w.WriteNil(); // appended to the quote group
            w.WriteMapHeader(1); w.Write("k"); w.Write(1.5);
            w.WriteArrayHeader(8);
            w.Write(m.TradeCount); w.Write(m.LastPrice); w.Write(m.LastSize); w.Write((int)m.LastSide); w.Write(m.Volume); w.Write(m.High); w.Write(m.Low);
            w.Write(new byte[300]); // appended to the trade group: bin16
            w.Write(m.ExchangeTimeNs); w.Write(m.ReceiveTimeNs); w.Write(m.ServerTimeNs);
            w.WriteArrayHeader(1); w.WriteArrayHeader(1); w.Write(new string('x', 40)); // appended to the message: str8 two arrays deep
            w.Write(true);
            w.WriteArrayHeader(6);
            w.Write(27); w.Write(6); w.Write(1); w.Write(2);
            w.WriteExtensionFormat(new ExtensionResult(5, new byte[3])); w.Write(-7);
            w.WriteArrayHeader(0); // appended to the Batch itself
        });
        var messages = Wire.DecodeServer(frame, out var isBatch);
        Assert.True(isBatch);
        Assert.Equal(2, messages.Count);
        Assert.Equal(m, messages[0].Merged);
        Assert.Equal(new PongMessage(6, 1, 2), messages[1].Body);
    }

    [Fact]
    public void Read_Array32BatchHeader_Accepted()
    {
        var update = Wire.Encode(new ServerMessage(ProtocolExamples.QuoteTick));
        byte[] frame = [0x92, 0x18, 0xdd, 0, 0, 0, 2, .. update, .. update];
        var messages = Wire.DecodeServer(frame, out _);
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(ProtocolExamples.QuoteTick, m.Update));
    }

    [Fact]
    public void Read_EveryTruncationOfAMixedBatch_FailsBeforeAnyMessage()
    {
        // Updates, merges, a snapshot and a notice: every proper prefix is a truncated frame, reported before any message —
        // as 1000, or as 1004 where an array header then claims more elements than bytes remain (§7).
        var batch = new BatchWriter(8192);
        batch.TryAppendUpdate(ProtocolExamples.QuoteTick);
        batch.TryAppendMerged(ProtocolExamples.Merged);
        batch.TryAppendSnapshot(2, ProtocolExamples.Aapl, ProtocolExamples.AaplState);
        batch.TryAppendUpdate(ProtocolExamples.TradeTick);
        batch.TryAppendNotice(NoticeCode.SlowConsumer, 1, 5000, "slow");
        var frame = batch.Complete().ToArray();
        Assert.Equal(5, Wire.DecodeServer(frame, out _).Count);
        for (var length = 0; length < frame.Length; length++)
        {
            var (n, error) = Wire.DrainServer(frame.AsMemory(0, length));
            Assert.Equal(0, n);
            Assert.Contains(error.Code, new[] { ErrorCode.MalformedMessage, ErrorCode.CollectionTooLarge });
        }
    }

    [Fact]
    public void Read_WrongTypeInAnyUpdateField_InvalidFieldAndNoMessage()
    {
        // A string where an integer belongs, in each field of the second update: the first update is not returned either.
        var q = ProtocolExamples.QuoteTick;
        long[] fields = [21, q.SymbolId, q.Epoch, q.Seq, (long)q.Kind, q.BidPrice, q.BidSize, q.AskPrice, q.AskSize, q.ExchangeTimeNs, q.ReceiveTimeNs, q.ServerTimeNs];
        for (var bad = 1; bad < fields.Length; bad++)
        {
            var frame = Encode((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(2);
                w.Write(24);
                w.WriteArrayHeader(2);
                w.WriteArrayHeader(12);
                foreach (var v in fields)
                {
                    w.Write(v);
                }

                w.WriteArrayHeader(12);
                for (var i = 0; i < fields.Length; i++)
                {
                    if (i == bad)
                    {
                        w.Write("x");
                    }
                    else
                    {
                        w.Write(fields[i]);
                    }
                }
            });
            var (n, error) = Wire.DrainServer(frame);
            Assert.Equal(ErrorCode.InvalidField, error.Code);
            Assert.True(n <= 1, $"field {bad}: {n} messages before the error");
        }
    }

    [Fact]
    public void Read_64MergedBatch_AllocatesNothing()
    {
        var batch = new BatchWriter(16384);
        var merged = ProtocolExamples.Merged;
        for (var i = 0; i < 64; i++)
        {
            merged.LastSeq++;
            batch.TryAppendMerged(merged);
        }

        ReadOnlyMemory<byte> frame = batch.Complete().ToArray();
        static long Sum(ReadOnlyMemory<byte> f)
        {
            var reader = new ServerFrameReader(f);
            long sum = 0;
            while (reader.Read(out var m, out _) == ReadStatus.Message)
            {
                sum += m.Merged.LastSeq;
            }

            return sum;
        }

        Sum(frame);
        long total = 0;
        Assert.Equal(0, Allocations.BestOf(3, () => total = Sum(frame)));
        Assert.Equal(Enumerable.Range(86, 64).Sum(), total);
    }

    private delegate void WriteInteger(ref MessagePackWriter writer, long value);

    private delegate void WriteFrame(ref MessagePackWriter writer);

    private static byte[] Encode(WriteFrame write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
