using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace MarketStream.Protocol.Internal;

/// <summary>
/// Typed MessagePack reads straight over a contiguous span — the server-frame path (<see cref="ServerFrameReader"/>).
/// Every read checks the type byte and that its bytes are there, and returns false instead of throwing, so a reader
/// bug cannot run off the end even if the structural pass missed something. The same type rules as
/// <see cref="FieldReader"/> (any integer encoding of a value is accepted, uint64 above long.MaxValue is out of
/// range); what it saves is MessagePackReader's sequence bookkeeping, re-peeking of the type code and
/// exception-based bounds checks on every field, which would be most of a client's decode time (perf/notes/decode.md).
/// </summary>
internal ref struct SpanFieldReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public SpanFieldReader(ReadOnlySpan<byte> data, int position = 0)
    {
        _data = data;
        _pos = position;
    }

    /// <summary>Offset of the next value.</summary>
    public readonly int Position => _pos;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadArrayHeader(out int count)
    {
        var data = _data;
        var pos = _pos;
        count = 0;
        if ((uint)pos >= (uint)data.Length)
        {
            return false;
        }

        var code = data[pos];
        if (code is >= 0x90 and <= 0x9f)
        {
            count = code & 0x0f;
            _pos = pos + 1;
            return true;
        }

        if (code == 0xdc && data.Length - pos >= 3)
        {
            count = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos + 1, 2));
            _pos = pos + 3;
            return true;
        }

        if (code == 0xdd && data.Length - pos >= 5)
        {
            var n = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(pos + 1, 4));
            if (n > int.MaxValue)
            {
                return false;
            }

            count = (int)n;
            _pos = pos + 5;
            return true;
        }

        return false;
    }

    /// <summary>An array header, or nil (count = -1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadArrayHeaderOrNil(out int count)
    {
        if ((uint)_pos < (uint)_data.Length && _data[_pos] == 0xc0)
        {
            _pos++;
            count = -1;
            return true;
        }

        return TryReadArrayHeader(out count);
    }

    // Inlined: an update is a dozen integer fields; a call per field cost more than the read itself.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadInt64(out long value)
    {
        var data = _data;
        var pos = _pos;
        if ((uint)pos >= (uint)data.Length)
        {
            value = 0;
            return false;
        }

        var code = data[pos];
        if (code <= 0x7f)
        {
            // Positive fixint: timestamps aside, most fields of an update (symbol id, epoch, kind, side) are here.
            value = code;
            _pos = pos + 1;
            return true;
        }

        if (code >= 0xe0)
        {
            value = (sbyte)code;
            _pos = pos + 1;
            return true;
        }

        if (code is < 0xcc or > 0xd3)
        {
            value = 0;
            return false;
        }

        // 0xcc–0xcf unsigned and 0xd0–0xd3 signed, 1, 2, 4 or 8 payload bytes by the low two bits.
        var width = 1 << (code & 3);
        if (data.Length - pos - 1 < width)
        {
            value = 0;
            return false;
        }

        var payload = data.Slice(pos + 1, width);
        switch (code)
        {
            case 0xcc: value = payload[0]; break;
            case 0xcd: value = BinaryPrimitives.ReadUInt16BigEndian(payload); break;
            case 0xce: value = BinaryPrimitives.ReadUInt32BigEndian(payload); break;
            case 0xcf:
                var u = BinaryPrimitives.ReadUInt64BigEndian(payload);
                if (u > long.MaxValue)
                {
                    value = 0;
                    return false;
                }

                value = (long)u;
                break;
            case 0xd0: value = (sbyte)payload[0]; break;
            case 0xd1: value = BinaryPrimitives.ReadInt16BigEndian(payload); break;
            case 0xd2: value = BinaryPrimitives.ReadInt32BigEndian(payload); break;
            default: value = BinaryPrimitives.ReadInt64BigEndian(payload); break;
        }

        _pos = pos + 1 + width;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadInt64(long min, long max, out long value) =>
        TryReadInt64(out value) && value >= min && value <= max;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadInt32(int min, int max, out int value)
    {
        if (TryReadInt64(out var v) && v >= min && v <= max)
        {
            value = (int)v;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>A UTF-8 str (invalid sequences become U+FFFD, as MessagePackReader.ReadString does).</summary>
    public bool TryReadString(out string value)
    {
        value = string.Empty;
        var data = _data;
        var pos = _pos;
        if ((uint)pos >= (uint)data.Length)
        {
            return false;
        }

        var code = data[pos];
        int header;
        long length;
        switch (code)
        {
            case >= 0xa0 and <= 0xbf:
                header = 1;
                length = code & 0x1f;
                break;
            case 0xd9 when data.Length - pos >= 2:
                header = 2;
                length = data[pos + 1];
                break;
            case 0xda when data.Length - pos >= 3:
                header = 3;
                length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos + 1, 2));
                break;
            case 0xdb when data.Length - pos >= 5:
                header = 5;
                length = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(pos + 1, 4));
                break;
            default:
                return false;
        }

        if (length > data.Length - pos - header)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(data.Slice(pos + header, (int)length));
        _pos = pos + header + (int)length;
        return true;
    }

    /// <summary>Skips <paramref name="count"/> values, containers with everything in them (fields a newer peer appended, §3).</summary>
    public bool TrySkip(int count)
    {
        var data = _data;
        var pos = _pos;
        long pending = count;
        while (pending > 0)
        {
            if ((uint)pos >= (uint)data.Length)
            {
                return false;
            }

            var code = data[pos++];
            if (!MessagePackFormat.TryGetExtent(data, ref pos, code, out var payload, out var children, out _)
                || payload > data.Length - pos)
            {
                return false;
            }

            pos += (int)payload;
            pending--;
            if (children > 0)
            {
                pending += children;
            }
        }

        _pos = pos;
        return true;
    }
}
