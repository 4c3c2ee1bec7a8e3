using MarketStream.Model;
using MarketStream.Testing;

namespace MarketStream.Protocol.Tests;

public class BatchWriterTests
{
    [Fact]
    public void Complete_Empty_IsCanonicalEmptyBatch()
    {
        var batch = new BatchWriter(BatchWriter.MinimumCapacity);
        Assert.Equal("921890", Wire.Hex(batch.Complete()));
        Assert.Empty(Wire.DecodeServer(batch.Complete().ToArray(), out var isBatch));
        Assert.True(isBatch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(1000)]
    [InlineData(65_536)]
    public void Complete_AnyCount_UsesSmallestHeaderAndDecodesInOrder(int count)
    {
        var batch = new BatchWriter(Math.Max(BatchWriter.MinimumCapacity, count * MessagePackUpdateEncoder.MaxUpdateBytes + BatchWriter.HeaderReserve));
        var tick = ProtocolExamples.QuoteTick;
        for (var i = 0; i < count; i++)
        {
            tick.Seq = i + 1;
            Assert.True(batch.TryAppendUpdate(tick));
        }

        var frame = batch.Complete().ToArray();
        Assert.Equal(0x92, frame[0]);
        Assert.Equal(0x18, frame[1]);
        Assert.Equal(count <= 15 ? 0x90 | count : count <= ushort.MaxValue ? 0xdc : 0xdd, frame[2]);
        var messages = Wire.DecodeServer(frame, out _);
        Assert.Equal(count, messages.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i + 1, messages[i].Update.Seq);
        }
    }

    [Fact]
    public void TryAppendEncoded_PreEncodedBytes_CopiedVerbatim()
    {
        var encoded = new byte[MessagePackUpdateEncoder.Instance.MaxUpdateLength];
        var n = MessagePackUpdateEncoder.Instance.EncodeUpdate(ProtocolExamples.QuoteTick, encoded);
        var a = new BatchWriter(4096);
        var b = new BatchWriter(4096);
        Assert.True(a.TryAppendEncoded(encoded.AsSpan(0, n)));
        Assert.True(b.TryAppendUpdate(ProtocolExamples.QuoteTick));
        Assert.Equal(a.Complete().ToArray(), b.Complete().ToArray());
        Assert.Equal(encoded.AsSpan(0, n).ToArray(), a.Complete().AsSpan(3).ToArray());
    }

    [Fact]
    public void TryAppend_WhenFull_ReturnsFalseAndFrameStaysValid()
    {
        var batch = new BatchWriter(BatchWriter.MinimumCapacity + 40);
        var appended = 0;
        var tick = ProtocolExamples.QuoteTick;
        while (batch.TryAppendUpdate(tick))
        {
            appended++;
        }

        Assert.True(appended >= 1);
        var length = batch.Length;
        Assert.False(batch.TryAppendMerged(ProtocolExamples.Merged));
        Assert.False(batch.TryAppendSnapshot(1, ProtocolExamples.Aapl, ProtocolExamples.AaplState));
        Assert.False(batch.TryAppendNotice(NoticeCode.SlowConsumer, 0, 5000, new string('x', 300)));
        Assert.Equal(length, batch.Length);
        var frame = batch.Complete();
        Assert.True(frame.Count <= batch.Capacity);
        Assert.Equal(appended, Wire.DecodeServer(frame.ToArray(), out _).Count);
    }

    [Fact]
    public void TryAppendUpdate_NearEnd_UsesExactSizeNotWorstCase()
    {
        // Room for the actual 52-ish bytes but less than MaxUpdateBytes: must still fit.
        var size = MessagePackUpdateEncoder.Instance.EncodeUpdate(ProtocolExamples.QuoteTick, new byte[128]);
        var batch = new BatchWriter(new byte[BatchWriter.MinimumCapacity]);
        while (batch.Remaining >= MessagePackUpdateEncoder.MaxUpdateBytes)
        {
            Assert.True(batch.TryAppendEncoded(new byte[] { 0x9c, 21, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }.AsSpan(0, 1)));
        }

        Assert.Equal(batch.Remaining >= size, batch.TryAppendUpdate(ProtocolExamples.QuoteTick));
    }

    [Fact]
    public void Reset_AfterComplete_StartsNewFrame()
    {
        var batch = new BatchWriter(4096);
        batch.TryAppendUpdate(ProtocolExamples.QuoteTick);
        batch.Complete();
        batch.Reset();
        Assert.Equal(0, batch.Count);
        Assert.Equal("921890", Wire.Hex(batch.Complete()));
    }

    [Fact]
    public void MixedStream_SnapshotUpdateMergedResetNoticeHeartbeat_DecodeInOrder()
    {
        var batch = new BatchWriter(4096);
        Assert.True(batch.TryAppendSnapshot(2, ProtocolExamples.Aapl, ProtocolExamples.AaplState));
        Assert.True(batch.TryAppendUpdate(ProtocolExamples.TradeTick));
        Assert.True(batch.TryAppendMerged(ProtocolExamples.Merged));
        Assert.True(batch.TryAppendReset(0, ResetReason.EpochChanged, ProtocolExamples.EurUsd, ProtocolExamples.EurUsdFresh));
        Assert.True(batch.TryAppendNotice(NoticeCode.MaxLagMerged, 3, 120, "merged"));
        Assert.True(batch.TryAppendHeartbeat(1, 2, 3, 4, 5));
        var types = Wire.DecodeServer(batch.Complete().ToArray(), out _).Select(m => m.Type);
        Assert.Equal([MessageType.Snapshot, MessageType.Update, MessageType.Merged, MessageType.Reset, MessageType.Notice, MessageType.Heartbeat], types);
    }

    [Fact]
    public void TryAppendUpdate_SteadyState_AllocatesNothing()
    {
        var batch = new BatchWriter(64 * 1024);
        var tick = ProtocolExamples.QuoteTick;
        batch.TryAppendUpdate(tick);
        batch.Complete();
        var allocated = Allocations.BestOf(3, () =>
        {
            for (var frame = 0; frame < 100; frame++)
            {
                batch.Reset();
                for (var i = 0; i < 64; i++)
                {
                    tick.Seq++;
                    batch.TryAppendUpdate(tick);
                    batch.TryAppendMerged(ProtocolExamples.Merged);
                }

                batch.Complete();
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Constructor_BufferTooSmall_Throws() =>
        Assert.Throws<ArgumentException>(() => new BatchWriter(10));

    [Fact]
    public void ResetWithBuffer_LongerPooledBuffer_FrameNeverExceedsCapacity()
    {
        var buffer = new byte[64 * 1024];
        var batch = new BatchWriter();
        batch.Reset(buffer, 4096);
        var appended = 0;
        while (batch.TryAppendUpdate(ProtocolExamples.QuoteTick))
        {
            appended++;
        }

        var frame = batch.Complete();
        Assert.Same(buffer, frame.Array);
        Assert.InRange(frame.Count, 4096 - MessagePackUpdateEncoder.MaxUpdateBytes, 4096);
        Assert.Equal(appended, Wire.DecodeServer(frame.ToArray(), out _).Count);
    }

    [Fact]
    public void Unbind_NothingFits_UntilResetGivesABuffer()
    {
        var batch = new BatchWriter(4096);
        batch.Unbind();
        Assert.False(batch.TryAppendUpdate(ProtocolExamples.QuoteTick));
        Assert.False(batch.TryAppendMerged(ProtocolExamples.Merged));
        Assert.Throws<InvalidOperationException>(() => batch.Complete());

        batch.Reset(new byte[BatchWriter.MinimumCapacity], BatchWriter.MinimumCapacity);
        Assert.True(batch.TryAppendUpdate(ProtocolExamples.QuoteTick));
        Assert.Single(Wire.DecodeServer(batch.Complete().ToArray(), out _));
    }

    [Fact]
    public void ResetWithBuffer_CapacityOutsideBuffer_Throws()
    {
        var batch = new BatchWriter();
        Assert.Throws<ArgumentException>(() => batch.Reset(new byte[4096], 8192));
        Assert.Throws<ArgumentException>(() => batch.Reset(new byte[4096], 10));
    }
}
