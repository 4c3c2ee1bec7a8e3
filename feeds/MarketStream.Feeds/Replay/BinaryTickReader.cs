using MarketStream.Model;
using System.Buffers.Binary;
using MarketStream.Feeds.Symbols;
using MarketStream.Feeds.Validation;

namespace MarketStream.Feeds.Replay;

/// <summary>
/// Reads the binary capture format (docs/feeds.md §Binary capture) through a fixed 64 KiB
/// buffer. The header is checked (magic, version, flags, symbol table bounds, scales against the
/// universe) before any record; each record is bounds-checked; a missing end marker, a wrong
/// record count or trailing bytes are reported with their byte offset.
/// </summary>
public sealed class BinaryTickReader : ITickReader
{
    private const int BufferSize = 64 * 1024;
    private const uint InitialSymbolCapacity = 256;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int[] _symbolIds = [];
    private long[] _referencePrice = [];
    private int _pos;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private bool _finished;
    private long _previousTime;
    private long _records;

    /// <summary>Opens a capture and reads its header.</summary>
    /// <exception cref="FeedDataException">The header is malformed or does not match the universe.</exception>
    public BinaryTickReader(Stream stream, SymbolUniverse universe, string sourceName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(sourceName);
        _stream = stream;
        _leaveOpen = leaveOpen;
        SourceName = sourceName;
        ReadHeader(universe);
    }

    /// <inheritdoc />
    public string SourceName { get; }

    /// <summary>Symbols in the file's table.</summary>
    public int FileSymbolCount => _symbolIds.Length;

    /// <inheritdoc />
    public TickReadStatus Read(ref Tick tick, out IngestRejectCode reason)
    {
        reason = IngestRejectCode.None;
        if (_finished)
        {
            return TickReadStatus.End;
        }

        Ensure(BinaryTickFormat.MaxRecordLength);
        var recordOffset = Offset;
        if (_pos >= _end)
        {
            throw Error(recordOffset, $"truncated: no end marker after {_records} records");
        }

        var tag = _buffer[_pos++];
        if (tag == BinaryTickFormat.EndTag)
        {
            ReadTrailer(recordOffset);
            return TickReadStatus.End;
        }

        if ((tag & BinaryTickFormat.ReservedMask) != 0)
        {
            throw Error(recordOffset, $"record tag 0x{tag:X2} has reserved bits set");
        }

        var kind = (TickKind)(tag & BinaryTickFormat.KindMask);
        if (kind is not (TickKind.Quote or TickKind.Trade))
        {
            throw Error(recordOffset, $"record tag 0x{tag:X2} has an unknown kind");
        }

        var side = (TradeSide)((tag & BinaryTickFormat.SideMask) >> BinaryTickFormat.SideShift);
        var fileSymbol = ReadVarint(recordOffset);
        if (fileSymbol >= (ulong)_symbolIds.Length)
        {
            throw Error(recordOffset, $"symbol index {fileSymbol} is outside the symbol table ({_symbolIds.Length} symbols)");
        }

        var time = unchecked(_previousTime + BinaryTickFormat.UnZigZag(ReadVarint(recordOffset)));
        _previousTime = time;
        ref var reference = ref _referencePrice[(int)fileSymbol];

        tick.Kind = kind;
        tick.ExchangeTimeNs = time;
        tick.ReceiveTimeNs = 0;
        tick.Epoch = 0;
        tick.Seq = 0;
        tick.ServerTimeNs = 0;
        tick.Conditions = 0;
        if (kind == TickKind.Quote)
        {
            if (side != TradeSide.Unknown || (tag & BinaryTickFormat.ConditionsFlag) != 0)
            {
                throw Error(recordOffset, "a quote record carries a side or conditions");
            }

            var bid = unchecked(reference + BinaryTickFormat.UnZigZag(ReadVarint(recordOffset)));
            tick.BidPrice = bid;
            tick.AskPrice = unchecked(bid + BinaryTickFormat.UnZigZag(ReadVarint(recordOffset)));
            tick.BidSize = BinaryTickFormat.UnZigZag(ReadVarint(recordOffset));
            tick.AskSize = BinaryTickFormat.UnZigZag(ReadVarint(recordOffset));
            tick.Side = TradeSide.Unknown;
            tick.Price = 0;
            tick.Size = 0;
            reference = bid;
        }
        else
        {
            tick.Price = unchecked(reference + BinaryTickFormat.UnZigZag(ReadVarint(recordOffset)));
            tick.Size = BinaryTickFormat.UnZigZag(ReadVarint(recordOffset));
            if ((tag & BinaryTickFormat.ConditionsFlag) != 0)
            {
                var conditions = ReadVarint(recordOffset);
                if (conditions is 0 or > ushort.MaxValue)
                {
                    throw Error(recordOffset, $"trade conditions {conditions} are outside 1–65535");
                }

                tick.Conditions = (ushort)conditions;
            }

            tick.Side = side;
            tick.BidPrice = 0;
            tick.BidSize = 0;
            tick.AskPrice = 0;
            tick.AskSize = 0;
            reference = tick.Price;
        }

        _records++;
        var id = _symbolIds[(int)fileSymbol];
        tick.SymbolId = id;
        if (id < 0)
        {
            reason = IngestRejectCode.UnknownSymbol;
            return TickReadStatus.Rejected;
        }

        if (kind == TickKind.Trade && side > TradeSide.Sell)
        {
            reason = IngestRejectCode.BadSide;
            return TickReadStatus.Rejected;
        }

        return TickReadStatus.Tick;
    }

    /// <summary>Closes the stream unless it was left open.</summary>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private long Offset => _bufferOffset + _pos;

    private void ReadHeader(SymbolUniverse universe)
    {
        Ensure(BinaryTickFormat.FixedHeaderLength);
        if (_end - _pos < BinaryTickFormat.FixedHeaderLength)
        {
            throw Error(0, $"too short for a header ({_end - _pos} bytes)");
        }

        var header = _buffer.AsSpan(_pos, BinaryTickFormat.FixedHeaderLength);
        if (!header[..4].SequenceEqual(BinaryTickFormat.Magic))
        {
            throw Error(0, "not a MarketStream tick capture (the magic is not 'MSTK')");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != BinaryTickFormat.Version)
        {
            throw Error(4, $"format version {version} is not supported (this reader reads version {BinaryTickFormat.Version})");
        }

        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        if (flags != 0)
        {
            throw Error(6, $"header flags 0x{flags:X4} are not supported");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (count == 0 || count > BinaryTickFormat.MaxSymbols)
        {
            throw Error(8, $"symbol count {count} is outside 1–{BinaryTickFormat.MaxSymbols}");
        }

        _pos += BinaryTickFormat.FixedHeaderLength;
        // The tables grow with the entries actually read: a 12-byte file claiming 65,536 symbols must not
        // cost 768 KiB before its table turns out truncated (a fuzz-harness case: perf/notes/fuzzing.md).
        var capacity = (int)Math.Min(count, InitialSymbolCapacity);
        _symbolIds = new int[capacity];
        _referencePrice = new long[capacity];
        Span<char> name = stackalloc char[SymbolInfo.MaxNameLength];
        for (var i = 0; i < count; i++)
        {
            if (i == _symbolIds.Length)
            {
                capacity = (int)Math.Min(count, (uint)i * 2);
                Array.Resize(ref _symbolIds, capacity);
                Array.Resize(ref _referencePrice, capacity);
            }

            var entryOffset = Offset;
            Ensure(1 + SymbolInfo.MaxNameLength + 2);
            if (_end - _pos < 1)
            {
                throw Error(entryOffset, $"truncated symbol table at entry {i}");
            }

            var length = _buffer[_pos];
            if (length is 0 or > SymbolInfo.MaxNameLength)
            {
                throw Error(entryOffset, $"symbol entry {i} has name length {length} (1–{SymbolInfo.MaxNameLength})");
            }

            if (_end - _pos < 1 + length + 2)
            {
                throw Error(entryOffset, $"truncated symbol table at entry {i}");
            }

            for (var c = 0; c < length; c++)
            {
                var b = _buffer[_pos + 1 + c];
                if (b is < 0x21 or > 0x7E)
                {
                    throw Error(entryOffset, $"symbol entry {i} has a non-printable or non-ASCII name byte 0x{b:X2}");
                }

                name[c] = (char)b;
            }

            var priceScale = _buffer[_pos + 1 + length];
            var sizeScale = _buffer[_pos + 2 + length];
            if (priceScale > SymbolInfo.MaxScale || sizeScale > SymbolInfo.MaxScale)
            {
                throw Error(entryOffset, $"symbol entry {i} has a scale above {SymbolInfo.MaxScale}");
            }

            _pos += 3 + length;
            if (universe.TryGetId(name[..length], out var id))
            {
                var info = universe.Symbols[id];
                if (info.PriceScale != priceScale || info.SizeScale != sizeScale)
                {
                    throw Error(entryOffset, $"symbol '{info.Name}' has scales {priceScale}/{sizeScale} in the file but {info.PriceScale}/{info.SizeScale} in the universe");
                }

                _symbolIds[i] = id;
            }
            else
            {
                _symbolIds[i] = -1; // its records are rejected as unknown, not fatal
            }
        }
    }

    private void ReadTrailer(long markerOffset)
    {
        var count = ReadVarint(markerOffset);
        if (count != (ulong)_records)
        {
            throw Error(markerOffset, $"end marker says {count} records, the file holds {_records}");
        }

        Ensure(1);
        if (_pos < _end)
        {
            throw Error(Offset, "data after the end marker");
        }

        _finished = true;
    }

    private ulong ReadVarint(long recordOffset)
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_pos >= _end)
            {
                throw Error(recordOffset, "truncated record");
            }

            var b = _buffer[_pos++];
            if (shift == 63 && b > 1)
            {
                throw Error(recordOffset, "varint overflows 64 bits");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Error(recordOffset, "varint longer than 10 bytes");
    }

    private void Ensure(int bytes)
    {
        if (_end - _pos >= bytes || _eof)
        {
            return;
        }

        // Keep the unread tail and refill behind it; the buffer never grows.
        var remaining = _end - _pos;
        Buffer.BlockCopy(_buffer, _pos, _buffer, 0, remaining);
        _bufferOffset += _pos;
        _pos = 0;
        _end = remaining;
        while (_end < bytes && !_eof)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    private FeedDataException Error(long offset, string detail) => new(SourceName, 0, offset, detail);
}
