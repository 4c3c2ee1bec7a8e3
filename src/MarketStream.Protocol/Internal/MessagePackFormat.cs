using System.Buffers.Binary;

namespace MarketStream.Protocol.Internal;

/// <summary>
/// The MessagePack format table in one place: what follows a type byte. Shared by the structural pass
/// (<see cref="StructureValidator"/>) and the span reader's skip (<see cref="SpanFieldReader.TrySkip"/>), so both
/// walk values by the same rules.
/// </summary>
internal static class MessagePackFormat
{
    /// <summary>
    /// Reads the length header (if any) after <paramref name="code"/>, which was just consumed; <paramref name="pos"/>
    /// is then at the payload. <paramref name="payload"/> is the bytes to skip (scalars, str, bin, ext);
    /// <paramref name="children"/> the values a container holds (a map counts keys and values), −1 for anything else.
    /// </summary>
    /// <returns>False if the length header is cut short, or for 0xc1 (never used).</returns>
    public static bool TryGetExtent(ReadOnlySpan<byte> data, ref int pos, byte code, out long payload, out long children, out bool isString)
    {
        payload = 0;
        children = -1;
        isString = false;
        switch (code)
        {
            case <= 0x7f: // positive fixint
            case >= 0xe0: // negative fixint
            case 0xc0 or 0xc2 or 0xc3: // nil, false, true
                return true;
            case <= 0x8f: // fixmap
                children = (code & 0x0f) * 2L;
                return true;
            case <= 0x9f: // fixarray
                children = code & 0x0f;
                return true;
            case <= 0xbf: // fixstr
                payload = code & 0x1f;
                isString = true;
                return true;
            case 0xc1:
                return false;
            case 0xc4 or 0xd9: // bin8, str8
                isString = true;
                return TryReadLength(data, ref pos, 1, out payload);
            case 0xc5 or 0xda: // bin16, str16
                isString = true;
                return TryReadLength(data, ref pos, 2, out payload);
            case 0xc6 or 0xdb: // bin32, str32
                isString = true;
                return TryReadLength(data, ref pos, 4, out payload);
            case 0xc7 or 0xc8 or 0xc9: // ext8/16/32: length, type, data
                var ok = TryReadLength(data, ref pos, 1 << (code - 0xc7), out payload);
                payload += 1;
                return ok;
            case 0xca: payload = 4; return true; // float32
            case 0xcb: payload = 8; return true; // float64
            case >= 0xcc and <= 0xd3: // uint8–64, int8–64
                payload = 1 << (code & 3);
                return true;
            case 0xd4: payload = 2; return true; // fixext1: type + 1
            case 0xd5: payload = 3; return true;
            case 0xd6: payload = 5; return true;
            case 0xd7: payload = 9; return true;
            case 0xd8: payload = 17; return true;
            case 0xdc: // array16
                return TryReadLength(data, ref pos, 2, out children);
            case 0xdd: // array32
                return TryReadLength(data, ref pos, 4, out children);
            case 0xde: // map16
                var map16 = TryReadLength(data, ref pos, 2, out children);
                children *= 2;
                return map16;
            default: // 0xdf map32
                var map32 = TryReadLength(data, ref pos, 4, out children);
                children *= 2;
                return map32;
        }
    }

    private static bool TryReadLength(ReadOnlySpan<byte> data, ref int pos, int width, out long value)
    {
        if (data.Length - pos < width)
        {
            value = 0;
            return false;
        }

        var s = data.Slice(pos, width);
        value = width switch
        {
            1 => s[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(s),
            _ => BinaryPrimitives.ReadUInt32BigEndian(s),
        };
        pos += width;
        return true;
    }
}
