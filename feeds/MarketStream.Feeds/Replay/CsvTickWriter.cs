using System.Buffers.Text;
using MarketStream.Feeds.Symbols;
using MarketStream.Model;

namespace MarketStream.Feeds.Replay;

/// <summary>
/// Writes the CSV tick format (docs/feeds.md §CSV ticks): the header, then one line per tick with
/// exact decimal prices and sizes in the symbol's scales, formatted into a reused UTF-8 buffer.
/// </summary>
public sealed class CsvTickWriter : BufferedTickWriter
{
    private const int MaxLine = 512;

    private readonly SymbolUniverse _universe;
    private readonly byte[][] _names;

    /// <summary>Creates a writer and writes the header row.</summary>
    public CsvTickWriter(Stream stream, SymbolUniverse universe, bool leaveOpen = false)
        : base(stream, CountOf(universe), MaxLine, leaveOpen)
    {
        _universe = universe;
        _names = new byte[universe.Count][];
        for (var i = 0; i < universe.Count; i++)
        {
            _names[i] = System.Text.Encoding.UTF8.GetBytes(universe.Symbols[i].Name);
        }

        var header = Reserve(CsvTickFormat.HeaderUtf8.Length + 1);
        CsvTickFormat.HeaderUtf8.CopyTo(header);
        header[CsvTickFormat.HeaderUtf8.Length] = (byte)'\n';
        Advance(CsvTickFormat.HeaderUtf8.Length + 1);
    }

    /// <inheritdoc />
    private protected override int Encode(in Tick tick, Span<byte> span)
    {
        var info = _universe.Symbols[tick.SymbolId];
        var pos = 0;
        Utf8Formatter.TryFormat(tick.ExchangeTimeNs, span, out var n);
        pos += n;
        span[pos++] = (byte)',';
        _names[tick.SymbolId].CopyTo(span[pos..]);
        pos += _names[tick.SymbolId].Length;
        switch (tick.Kind)
        {
            case TickKind.Quote:
                ",Q,"u8.CopyTo(span[pos..]);
                pos += 3;
                pos += Decimal(tick.BidPrice, info.PriceScale, span[pos..]);
                span[pos++] = (byte)',';
                pos += Decimal(tick.BidSize, info.SizeScale, span[pos..]);
                span[pos++] = (byte)',';
                pos += Decimal(tick.AskPrice, info.PriceScale, span[pos..]);
                span[pos++] = (byte)',';
                pos += Decimal(tick.AskSize, info.SizeScale, span[pos..]);
                ",,,,"u8.CopyTo(span[pos..]);
                pos += 4;
                break;
            case TickKind.Trade:
                ",T,,,,,"u8.CopyTo(span[pos..]);
                pos += 7;
                pos += Decimal(tick.Price, info.PriceScale, span[pos..]);
                span[pos++] = (byte)',';
                pos += Decimal(tick.Size, info.SizeScale, span[pos..]);
                span[pos++] = (byte)',';
                switch (tick.Side)
                {
                    case TradeSide.Buy:
                        span[pos++] = (byte)'B';
                        break;
                    case TradeSide.Sell:
                        span[pos++] = (byte)'S';
                        break;
                    case TradeSide.Unknown:
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(tick), tick.Side, "The trade side cannot be recorded.");
                }

                span[pos++] = (byte)',';
                if (tick.Conditions != 0)
                {
                    Utf8Formatter.TryFormat(tick.Conditions, span[pos..], out n);
                    pos += n;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tick), tick.Kind, "Only quotes and trades can be recorded.");
        }

        span[pos++] = (byte)'\n';
        return pos;
    }

    private static int CountOf(SymbolUniverse universe)
    {
        ArgumentNullException.ThrowIfNull(universe);
        return universe.Count;
    }

    private static int Decimal(long mantissa, int scale, Span<byte> destination)
    {
        FixedPoint.TryFormat(mantissa, scale, destination, out var written);
        return written;
    }
}
