using System.Buffers.Binary;
using MarketStream.Core.Market;

namespace MarketStream.Benchmarks.Engine;

/// <summary>
/// Stand-in for the MessagePack encoder until the protocol merge: a fixed little-endian layout of
/// the fields a client needs (about as many bytes as the MessagePack form). The codec's own cost is
/// measured by the codec benchmarks and adds to the sequencer's per-tick cost once wired in.
/// </summary>
internal sealed class BenchmarkUpdateEncoder : IUpdateEncoder
{
    public int MaxUpdateLength => 96;

    public int EncodeUpdate(in Tick tick, Span<byte> destination)
    {
        destination[0] = (byte)tick.Kind;
        BinaryPrimitives.WriteInt32LittleEndian(destination[1..], tick.SymbolId);
        BinaryPrimitives.WriteInt64LittleEndian(destination[5..], tick.Epoch);
        BinaryPrimitives.WriteInt64LittleEndian(destination[13..], tick.Seq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[21..], tick.Kind == TickKind.Quote ? tick.BidPrice : tick.Price);
        BinaryPrimitives.WriteInt64LittleEndian(destination[29..], tick.Kind == TickKind.Quote ? tick.BidSize : tick.Size);
        BinaryPrimitives.WriteInt64LittleEndian(destination[37..], tick.AskPrice);
        BinaryPrimitives.WriteInt64LittleEndian(destination[45..], tick.AskSize);
        BinaryPrimitives.WriteInt64LittleEndian(destination[53..], tick.ServerTimeNs);
        return 61;
    }

    public int EncodeMerged(in MergedUpdate merged, Span<byte> destination)
    {
        destination[0] = 9;
        BinaryPrimitives.WriteInt32LittleEndian(destination[1..], merged.SymbolId);
        BinaryPrimitives.WriteInt64LittleEndian(destination[5..], merged.FirstSeq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[13..], merged.LastSeq);
        BinaryPrimitives.WriteInt32LittleEndian(destination[21..], merged.Count);
        BinaryPrimitives.WriteInt64LittleEndian(destination[25..], merged.BidPrice);
        BinaryPrimitives.WriteInt64LittleEndian(destination[33..], merged.AskPrice);
        BinaryPrimitives.WriteInt64LittleEndian(destination[41..], merged.LastPrice);
        BinaryPrimitives.WriteInt64LittleEndian(destination[49..], merged.Volume);
        BinaryPrimitives.WriteInt64LittleEndian(destination[57..], merged.ServerTimeNs);
        return 65;
    }
}
