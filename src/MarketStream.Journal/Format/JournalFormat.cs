namespace MarketStream.Journal.Format;

/// <summary>
/// Byte layout of journal segments (docs/journal.md §2–§3). All integers little-endian.
/// </summary>
internal static class JournalFormat
{
    /// <summary>The 8 ASCII bytes every segment starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "MSJOURNL"u8;

    /// <summary>The only format version this code reads and writes.</summary>
    public const ushort Version = 1;

    /// <summary>Bytes of the segment header, CRC included.</summary>
    public const int HeaderLength = 40;

    /// <summary>Header offsets.</summary>
    public const int HeaderVersionOffset = 8;
    public const int HeaderLengthOffset = 10;
    public const int HeaderNumberOffset = 16;
    public const int HeaderCreatedOffset = 24;
    public const int HeaderCrcOffset = 32;

    /// <summary>Bytes before a record's body: body length (u32) and body CRC-32C (u32).</summary>
    public const int FrameLength = 8;

    /// <summary>Bytes of the fixed part of every body (type, channel, flags, symbol, epoch, seq, time).</summary>
    public const int BodyHeaderLength = 32;

    /// <summary>
    /// Largest body a reader accepts (64 KiB): a length above it is corruption, so a damaged length
    /// prefix never makes a reader allocate or read more than this.
    /// </summary>
    public const int MaxBodyLength = 64 * 1024;

    /// <summary>Largest payload (body minus its fixed part).</summary>
    public const int MaxPayloadLength = MaxBodyLength - BodyHeaderLength;

    /// <summary>Largest whole record, frame included.</summary>
    public const int MaxRecordLength = FrameLength + MaxBodyLength;

    /// <summary>Body offsets.</summary>
    public const int BodyTypeOffset = 0;
    public const int BodyChannelOffset = 1;
    public const int BodyFlagsOffset = 2;
    public const int BodySymbolOffset = 4;
    public const int BodyEpochOffset = 8;
    public const int BodySeqOffset = 16;
    public const int BodyTimeOffset = 24;

    /// <summary>Payload of an L1 quote update: bid price, bid size, ask price, ask size, exchange time, receive time.</summary>
    public const int QuotePayloadLength = 48;

    /// <summary>Payload of an L1 trade update: price, size, exchange time, receive time, side, reserved, conditions.</summary>
    public const int TradePayloadLength = 36;

    /// <summary>Payload of a gap record: events sequenced but not journaled (i64).</summary>
    public const int GapPayloadLength = 8;

    /// <summary>Fixed part of a symbol definition payload (price scale, size scale, three string lengths).</summary>
    public const int SymbolDefinitionFixedLength = 5;

    /// <summary>Segment file name extension.</summary>
    public const string SegmentExtension = ".msj";

    /// <summary>File name of segment <paramref name="number"/>: twelve digits, so names sort as numbers do.</summary>
    public static string SegmentFileName(long number) => number.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + SegmentExtension;
}
