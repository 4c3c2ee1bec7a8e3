using System.Buffers.Binary;
using System.Text;
using MarketStream.Feeds.Symbols;
using MarketStream.Model;

namespace MarketStream.Feeds.Replay;

/// <summary>
/// Writes the binary capture format (docs/feeds.md §Binary capture): the header and the
/// universe as the symbol table up front, then one varint record per tick into a reused buffer.
/// Prices are deltas against the symbol's previous reference price, so a typical quote takes
/// 8–12 bytes.
/// </summary>
public sealed class BinaryTickWriter : BufferedTickWriter
{
    private readonly long[] _referencePrice;
    private long _previousTime;

    /// <summary>Creates a writer and writes the header with <paramref name="universe"/> as the symbol table.</summary>
    public BinaryTickWriter(Stream stream, SymbolUniverse universe, bool leaveOpen = false)
        : base(stream, CheckedCount(universe), BinaryTickFormat.MaxRecordLength, leaveOpen)
    {
        _referencePrice = new long[universe.Count];
        WriteHeader(universe);
    }

    /// <inheritdoc />
    private protected override int Encode(in Tick tick, Span<byte> span)
    {
        var pos = 1;
        int tag;
        pos += WriteVarint(span[pos..], (ulong)tick.SymbolId);
        pos += WriteVarint(span[pos..], BinaryTickFormat.ZigZag(unchecked(tick.ExchangeTimeNs - _previousTime)));
        _previousTime = tick.ExchangeTimeNs;
        ref var reference = ref _referencePrice[tick.SymbolId];
        switch (tick.Kind)
        {
            case TickKind.Quote:
                tag = (int)TickKind.Quote;
                pos += WriteVarint(span[pos..], BinaryTickFormat.ZigZag(unchecked(tick.BidPrice - reference)));
                pos += WriteVarint(span[pos..], BinaryTickFormat.ZigZag(unchecked(tick.AskPrice - tick.BidPrice)));
                pos += WriteVarint(span[pos..], BinaryTickFormat.ZigZag(tick.BidSize));
                pos += WriteVarint(span[pos..], BinaryTickFormat.ZigZag(tick.AskSize));
                reference = tick.BidPrice;
                break;
            case TickKind.Trade:
                if (tick.Side > TradeSide.Sell)
                {
                    throw new ArgumentOutOfRangeException(nameof(tick), tick.Side, "The trade side cannot be recorded.");
                }

                tag = (int)TickKind.Trade | ((int)tick.Side << BinaryTickFormat.SideShift);
                pos += WriteVarint(span[pos..], BinaryTickFormat.ZigZag(unchecked(tick.Price - reference)));
                pos += WriteVarint(span[pos..], BinaryTickFormat.ZigZag(tick.Size));
                if (tick.Conditions != 0)
                {
                    tag |= BinaryTickFormat.ConditionsFlag;
                    pos += WriteVarint(span[pos..], tick.Conditions);
                }

                reference = tick.Price;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tick), tick.Kind, "Only quotes and trades can be recorded.");
        }

        span[0] = (byte)tag;
        return pos;
    }

    /// <summary>End marker and record count (docs/feeds.md §Binary capture).</summary>
    private protected override void WriteTrailer()
    {
        var span = Reserve(16);
        span[0] = BinaryTickFormat.EndTag;
        Advance(1 + WriteVarint(span[1..], (ulong)Written));
    }

    private static int CheckedCount(SymbolUniverse universe)
    {
        ArgumentNullException.ThrowIfNull(universe);
        if (universe.Count > BinaryTickFormat.MaxSymbols)
        {
            throw new ArgumentException($"The binary format holds at most {BinaryTickFormat.MaxSymbols} symbols.", nameof(universe));
        }

        return universe.Count;
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    private void WriteHeader(SymbolUniverse universe)
    {
        Span<byte> fixedHeader = stackalloc byte[BinaryTickFormat.FixedHeaderLength];
        BinaryTickFormat.Magic.CopyTo(fixedHeader);
        BinaryPrimitives.WriteUInt16LittleEndian(fixedHeader[4..], BinaryTickFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(fixedHeader[6..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedHeader[8..], (uint)universe.Count);
        fixedHeader.CopyTo(Reserve(fixedHeader.Length));
        Advance(fixedHeader.Length);
        foreach (var symbol in universe.Symbols)
        {
            var span = Reserve(64);
            var nameLength = Encoding.ASCII.GetBytes(symbol.Name, span[1..]);
            span[0] = (byte)nameLength;
            span[1 + nameLength] = symbol.PriceScale;
            span[2 + nameLength] = symbol.SizeScale;
            Advance(3 + nameLength);
        }
    }
}
