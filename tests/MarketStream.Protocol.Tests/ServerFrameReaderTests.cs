using System.Buffers;
using MarketStream.Core.Market;
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
        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = Sum(frame);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(Enumerable.Range(1043, 64).Sum(), total);
    }
}
