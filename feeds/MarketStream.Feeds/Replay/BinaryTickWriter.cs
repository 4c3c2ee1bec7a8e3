using System.Buffers.Binary;
using System.Text;
using MarketStream.Core.Market;
using MarketStream.Feeds.Symbols;

namespace MarketStream.Feeds.Replay;

/// <summary>
/// Writes the binary capture format (docs/feeds.md §Binary capture): the header and the
/// universe as the symbol table up front, then one varint record per tick into a reused buffer.
/// Prices are deltas against the symbol's previous reference price, so a typical quote takes
/// 8–12 bytes.
/// </summary>
public sealed class BinaryTickWriter : ITickWriter
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly long[] _referencePrice;
    private int _length;
    private long _previousTime;
    private long _written;
    private bool _completed;

    /// <summary>Creates a writer and writes the header with <paramref name="universe"/> as the symbol table.</summary>
    public BinaryTickWriter(Stream stream, SymbolUniverse universe, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(universe);
        if (universe.Count > BinaryTickFormat.MaxSymbols)
        {
            throw new ArgumentException($"The binary format holds at most {BinaryTickFormat.MaxSymbols} symbols.", nameof(universe));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _referencePrice = new long[universe.Count];
        WriteHeader(universe);
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

        if ((uint)tick.SymbolId >= (uint)_referencePrice.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick.SymbolId, "The tick's symbol id is not in the writer's universe.");
        }

        if (_length > BufferSize - BinaryTickFormat.MaxRecordLength)
        {
            FlushBuffer();
        }

        var span = _buffer.AsSpan(_length);
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

        if (_length > BufferSize - 16)
        {
            FlushBuffer();
        }

        _buffer[_length++] = BinaryTickFormat.EndTag;
        _length += WriteVarint(_buffer.AsSpan(_length), (ulong)_written);
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
        fixedHeader.CopyTo(_buffer);
        _length = fixedHeader.Length;
        foreach (var symbol in universe.Symbols)
        {
            if (_length > BufferSize - 64)
            {
                FlushBuffer();
            }

            var nameLength = Encoding.ASCII.GetBytes(symbol.Name, _buffer.AsSpan(_length + 1));
            _buffer[_length] = (byte)nameLength;
            _length += 1 + nameLength;
            _buffer[_length++] = symbol.PriceScale;
            _buffer[_length++] = symbol.SizeScale;
        }
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
