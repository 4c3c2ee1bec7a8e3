using System.Buffers.Text;
using MarketStream.Core.Market;
using MarketStream.Feeds.Symbols;

namespace MarketStream.Feeds.Replay;

/// <summary>
/// Writes the CSV tick format (docs/feeds.md §CSV ticks): the header, then one line per tick with
/// exact decimal prices and sizes in the symbol's scales, formatted into a reused UTF-8 buffer.
/// </summary>
public sealed class CsvTickWriter : ITickWriter
{
    private const int BufferSize = 64 * 1024;
    private const int MaxLine = 512;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly SymbolUniverse _universe;
    private readonly byte[][] _names;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _length;
    private long _written;
    private bool _completed;

    /// <summary>Creates a writer and writes the header row.</summary>
    public CsvTickWriter(Stream stream, SymbolUniverse universe, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(universe);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _universe = universe;
        _names = new byte[universe.Count][];
        for (var i = 0; i < universe.Count; i++)
        {
            _names[i] = System.Text.Encoding.UTF8.GetBytes(universe.Symbols[i].Name);
        }

        CsvTickFormat.HeaderUtf8.CopyTo(_buffer);
        _length = CsvTickFormat.HeaderUtf8.Length;
        _buffer[_length++] = (byte)'\n';
    }

    /// <inheritdoc />
    public long Written => _written;

    /// <inheritdoc />
    public void Write(in Tick tick)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The writer is complete.");
        }

        if ((uint)tick.SymbolId >= (uint)_names.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick.SymbolId, "The tick's symbol id is not in the writer's universe.");
        }

        if (_length > BufferSize - MaxLine)
        {
            FlushBuffer();
        }

        var info = _universe.Symbols[tick.SymbolId];
        var span = _buffer.AsSpan(_length);
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
        _length += pos;
        _written++;
    }

    /// <inheritdoc />
    public void Flush()
    {
        FlushBuffer();
        _stream.Flush();
    }

    /// <inheritdoc />
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        Flush();
    }

    /// <summary>Completes the file and closes the stream unless it was left open.</summary>
    public void Dispose()
    {
        Complete();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private static int Decimal(long mantissa, int scale, Span<byte> destination)
    {
        FixedPoint.TryFormat(mantissa, scale, destination, out var written);
        return written;
    }

    private void FlushBuffer()
    {
        if (_length > 0)
        {
            _stream.Write(_buffer, 0, _length);
            _length = 0;
        }
    }
}
