using System.Buffers;
using CsCheck;
using MarketStream.Model;
using MarketStream.Testing;
using MessagePack;

namespace MarketStream.Protocol.Tests;

public class MessagePackUpdateEncoderTests
{
    private static readonly MessagePackUpdateEncoder Encoder = MessagePackUpdateEncoder.Instance;

    /// <summary>Independent reference: the same fields through MessagePackWriter's own integer encoding.</summary>
    private static byte[] ReferenceUpdate(in Tick t)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(12);
        w.Write(21);
        w.Write(t.SymbolId);
        w.Write(t.Epoch);
        w.Write(t.Seq);
        w.Write((byte)t.Kind);
        if (t.Kind == TickKind.Trade)
        {
            w.Write(t.Price); w.Write(t.Size); w.Write((byte)t.Side); w.Write(t.Conditions);
        }
        else
        {
            w.Write(t.BidPrice); w.Write(t.BidSize); w.Write(t.AskPrice); w.Write(t.AskSize);
        }

        w.Write(t.ExchangeTimeNs); w.Write(t.ReceiveTimeNs); w.Write(t.ServerTimeNs);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Encode(in Tick t)
    {
        var buffer = new byte[Encoder.MaxUpdateLength];
        return buffer.AsSpan(0, Encoder.EncodeUpdate(t, buffer)).ToArray();
    }

    private static byte[] Encode(in MergedUpdate m)
    {
        var buffer = new byte[Encoder.MaxUpdateLength];
        return buffer.AsSpan(0, Encoder.EncodeMerged(m, buffer)).ToArray();
    }

    [Fact]
    public void EncodeUpdate_AnyTick_MatchesMessagePackWriterBytes() =>
        Generators.Tick.Sample(t => Assert.Equal(ReferenceUpdate(t), Encode(t)), iter: 20_000);

    [Fact]
    public void EncodeUpdate_AnyTick_RoundTrips() =>
        Generators.Tick.Sample(t =>
        {
            var decoded = Assert.Single(Wire.DecodeServer(Encode(t), out _));
            Assert.Equal(MessageType.Update, decoded.Type);
            Assert.Equal(t, decoded.Update);
        }, iter: 20_000);

    [Fact]
    public void EncodeMerged_AnyMerged_RoundTrips() =>
        Generators.Merged.Sample(m =>
        {
            var decoded = Assert.Single(Wire.DecodeServer(Encode(m), out _));
            Assert.Equal(MessageType.Merged, decoded.Type);
            Assert.Equal(m, decoded.Merged);
        }, iter: 20_000);

    [Fact]
    public void EncodeUpdate_ExtremeValues_FitMaxLengthAndRoundTrip()
    {
        foreach (var v in new[] { long.MinValue, long.MaxValue })
        {
            var quote = new Tick { Kind = TickKind.Quote, SymbolId = int.MinValue, Epoch = v, Seq = v, BidPrice = v, BidSize = v, AskPrice = v, AskSize = v, ExchangeTimeNs = v, ReceiveTimeNs = v, ServerTimeNs = v };
            var bytes = Encode(quote);
            Assert.True(bytes.Length <= MessagePackUpdateEncoder.MaxUpdateBytes);
            Assert.Equal(quote, Wire.DecodeServer(bytes, out _)[0].Update);

            var merged = new MergedUpdate { SymbolId = int.MaxValue, Epoch = v, FirstSeq = v, LastSeq = v, Count = int.MinValue, HasQuote = true, BidPrice = v, BidSize = v, AskPrice = v, AskSize = v, TradeCount = int.MaxValue, LastPrice = v, LastSize = v, LastSide = TradeSide.Sell, Volume = v, High = v, Low = v, ExchangeTimeNs = v, ReceiveTimeNs = v, ServerTimeNs = v };
            var mb = Encode(merged);
            Assert.True(mb.Length <= MessagePackUpdateEncoder.MaxMergedBytes);
            Assert.Equal(merged, Wire.DecodeServer(mb, out _)[0].Merged);
        }
    }

    [Fact]
    public void EncodeUpdate_DestinationTooSmall_Throws() =>
        Assert.Throws<ArgumentException>(() => Encoder.EncodeUpdate(default, new byte[10]));

    [Fact]
    public void EncodeUpdate_SteadyState_AllocatesNothing()
    {
        var tick = ProtocolExamples.QuoteTick;
        var merged = ProtocolExamples.Merged;
        var buffer = new byte[Encoder.MaxUpdateLength];
        Encoder.EncodeUpdate(tick, buffer);
        Encoder.EncodeMerged(merged, buffer);
        var allocated = Allocations.BestOf(3, () =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                tick.Seq = i;
                Encoder.EncodeUpdate(tick, buffer);
                Encoder.EncodeMerged(merged, buffer);
            }
        });

        Assert.Equal(0, allocated);
    }
}
