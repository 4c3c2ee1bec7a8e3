using MarketStream.Model;
using System.Buffers.Text;
using MarketStream.Feeds.Symbols;
using MarketStream.Feeds.Validation;

namespace MarketStream.Feeds.Replay;

/// <summary>
/// Reads the CSV tick format (docs/feeds.md §CSV ticks) from UTF-8 bytes through a fixed
/// buffer: no string per line or field. Syntax errors raise <see cref="FeedDataException"/> with
/// the line number; records that parse but cannot be ticks (unknown or overlong symbol, unknown
/// kind or side) come back as <see cref="TickReadStatus.Rejected"/> with a reason.
/// </summary>
public sealed class CsvTickReader : ITickReader
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly SymbolUniverse _universe;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private long _line;
    private bool _sawHeader;

    /// <summary>Creates a reader; the header is checked on the first <see cref="Read"/>.</summary>
    public CsvTickReader(Stream stream, SymbolUniverse universe, string sourceName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(sourceName);
        _stream = stream;
        _universe = universe;
        _leaveOpen = leaveOpen;
        SourceName = sourceName;
    }

    /// <inheritdoc />
    public string SourceName { get; }

    /// <summary>Number of the last line read (1-based).</summary>
    public long Line => _line;

    /// <inheritdoc />
    public TickReadStatus Read(ref Tick tick, out IngestRejectCode reason)
    {
        reason = IngestRejectCode.None;
        while (TryReadLine(out var line))
        {
            if (line.IsEmpty || line[0] == (byte)'#')
            {
                continue;
            }

            if (!_sawHeader)
            {
                if (!line.SequenceEqual(CsvTickFormat.HeaderUtf8))
                {
                    throw Error($"expected the header '{CsvTickFormat.Header}'");
                }

                _sawHeader = true;
                continue;
            }

            return ParseRecord(line, ref tick, out reason);
        }

        if (!_sawHeader)
        {
            throw Error($"empty: expected the header '{CsvTickFormat.Header}'");
        }

        return TickReadStatus.End;
    }

    /// <summary>Closes the stream unless it was left open.</summary>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> rest)
    {
        var comma = rest.IndexOf((byte)',');
        ReadOnlySpan<byte> field;
        if (comma < 0)
        {
            field = rest;
            rest = [];
        }
        else
        {
            field = rest[..comma];
            rest = rest[(comma + 1)..];
        }

        return field;
    }

    private TickReadStatus ParseRecord(ReadOnlySpan<byte> line, ref Tick tick, out IngestRejectCode reason)
    {
        reason = IngestRejectCode.None;
        var commas = line.Count((byte)',');
        if (commas != CsvTickFormat.FieldCount - 1)
        {
            throw Error($"expected {CsvTickFormat.FieldCount} fields, found {commas + 1}");
        }

        var rest = line;
        var timeField = NextField(ref rest);
        var symbolField = NextField(ref rest);
        var kindField = NextField(ref rest);
        var bidPrice = NextField(ref rest);
        var bidSize = NextField(ref rest);
        var askPrice = NextField(ref rest);
        var askSize = NextField(ref rest);
        var price = NextField(ref rest);
        var size = NextField(ref rest);
        var sideField = NextField(ref rest);
        var conditionsField = rest;

        if (!Utf8Parser.TryParse(timeField, out long time, out var used) || used != timeField.Length)
        {
            throw Error("exchange_time_ns is not an integer");
        }

        tick.ExchangeTimeNs = time;
        tick.ReceiveTimeNs = 0;
        tick.Epoch = 0;
        tick.Seq = 0;
        tick.ServerTimeNs = 0;
        tick.SymbolId = -1;

        if (symbolField.Length > SymbolInfo.MaxNameLength)
        {
            reason = IngestRejectCode.InvalidSymbol;
            return TickReadStatus.Rejected;
        }

        Span<char> name = stackalloc char[SymbolInfo.MaxNameLength];
        for (var i = 0; i < symbolField.Length; i++)
        {
            name[i] = (char)symbolField[i];
        }

        if (symbolField.IsEmpty || !_universe.TryGetId(name[..symbolField.Length], out var id))
        {
            reason = IngestRejectCode.UnknownSymbol;
            return TickReadStatus.Rejected;
        }

        tick.SymbolId = id;
        var info = _universe.Symbols[id];
        if (kindField.SequenceEqual("Q"u8))
        {
            if (!price.IsEmpty || !size.IsEmpty || !sideField.IsEmpty || !conditionsField.IsEmpty)
            {
                throw Error("a quote (Q) must leave price, size, side and conditions empty");
            }

            tick.Kind = TickKind.Quote;
            tick.Side = TradeSide.Unknown;
            tick.Conditions = 0;
            tick.BidPrice = Number(bidPrice, info.PriceScale, "bid_price");
            tick.BidSize = Number(bidSize, info.SizeScale, "bid_size");
            tick.AskPrice = Number(askPrice, info.PriceScale, "ask_price");
            tick.AskSize = Number(askSize, info.SizeScale, "ask_size");
            tick.Price = 0;
            tick.Size = 0;
            return TickReadStatus.Tick;
        }

        if (kindField.SequenceEqual("T"u8))
        {
            if (!bidPrice.IsEmpty || !bidSize.IsEmpty || !askPrice.IsEmpty || !askSize.IsEmpty)
            {
                throw Error("a trade (T) must leave bid_price, bid_size, ask_price and ask_size empty");
            }

            tick.Kind = TickKind.Trade;
            tick.BidPrice = 0;
            tick.BidSize = 0;
            tick.AskPrice = 0;
            tick.AskSize = 0;
            tick.Price = Number(price, info.PriceScale, "price");
            tick.Size = Number(size, info.SizeScale, "size");
            if (conditionsField.IsEmpty)
            {
                tick.Conditions = 0;
            }
            else if (Utf8Parser.TryParse(conditionsField, out ushort conditions, out used) && used == conditionsField.Length)
            {
                tick.Conditions = conditions;
            }
            else
            {
                throw Error("conditions is not an integer 0–65535");
            }

            if (sideField.IsEmpty)
            {
                tick.Side = TradeSide.Unknown;
            }
            else if (sideField.SequenceEqual("B"u8))
            {
                tick.Side = TradeSide.Buy;
            }
            else if (sideField.SequenceEqual("S"u8))
            {
                tick.Side = TradeSide.Sell;
            }
            else
            {
                reason = IngestRejectCode.BadSide;
                return TickReadStatus.Rejected;
            }

            return TickReadStatus.Tick;
        }

        reason = IngestRejectCode.BadKind;
        return TickReadStatus.Rejected;
    }

    private long Number(ReadOnlySpan<byte> field, int scale, string column)
    {
        if (!FixedPoint.TryParse(field, scale, out var value))
        {
            throw Error($"{column} is not a decimal with at most {scale} decimals");
        }

        return value;
    }

    private bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCr(_buffer.AsSpan(_start, newline));
                _start += newline + 1;
                _line++;
                if (line.Length > CsvTickFormat.MaxLineLength)
                {
                    throw Error($"line longer than {CsvTickFormat.MaxLineLength} bytes");
                }

                return true;
            }

            if (_end - _start > CsvTickFormat.MaxLineLength)
            {
                _line++;
                throw Error($"line longer than {CsvTickFormat.MaxLineLength} bytes");
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    line = TrimCr(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    _line++;
                    return true;
                }

                line = default;
                return false;
            }

            var remaining = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, remaining);
            _start = 0;
            _end = remaining;
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line)
        => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private FeedDataException Error(string detail) => new(SourceName, _line, -1, detail);
}
