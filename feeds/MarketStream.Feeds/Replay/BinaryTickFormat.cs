namespace MarketStream.Feeds.Replay;

/// <summary>
/// Constants of the binary capture format, version 1 (docs/feeds.md §Binary capture). All
/// integers little-endian; varints are LEB128 (7 bits per byte, low first, at most 10 bytes);
/// signed values are zigzag-encoded.
/// </summary>
internal static class BinaryTickFormat
{
    /// <summary>"MSTK".</summary>
    public static ReadOnlySpan<byte> Magic => "MSTK"u8;

    public const ushort Version = 1;
    public const int FixedHeaderLength = 12; // magic 4, version 2, flags 2, symbol count 4
    public const int MaxSymbols = 65_536;

    /// <summary>Tag byte of the end marker; followed by the varint record count, then end of file.</summary>
    public const byte EndTag = 0x00;

    public const int KindMask = 0b0000_0011;
    public const int SideShift = 2;
    public const int SideMask = 0b0000_1100;
    public const int ConditionsFlag = 0b0001_0000;
    public const int ReservedMask = 0b1110_0000;

    /// <summary>Upper bound of one record: tag, symbol index (3), time delta (10), four fields (40), conditions (3).</summary>
    public const int MaxRecordLength = 64;

    public const string Extension = ".mstk";

    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
