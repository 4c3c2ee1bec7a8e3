using System.Buffers.Binary;

namespace MarketStream.Protocol.Internal;

/// <summary>
/// Walks a whole message over raw bytes before any typed read (docs/protocol.md §7): exactly one
/// well-formed MessagePack value, no trailing bytes, arrays no deeper than <see cref="DecoderLimits.MaxDepth"/>,
/// every length within its limit and within the bytes that remain. After this pass, typed reads on
/// <c>MessagePackReader</c> cannot run off the end, so the readers only check types and ranges.
/// Never throws; never allocates.
/// </summary>
internal static class StructureValidator
{
    public static ErrorCode Validate(ReadOnlySpan<byte> data, DecoderLimits limits, out string detail)
    {
        if (data.Length > limits.MaxMessageBytes)
        {
            detail = "message exceeds the maximum message size";
            return ErrorCode.MessageTooLarge;
        }

        if (data.IsEmpty)
        {
            detail = "empty message";
            return ErrorCode.MalformedMessage;
        }

        // remaining[d] = values still expected by the open container at depth d (1-based).
        Span<long> remaining = stackalloc long[DecoderLimits.MaxSupportedDepth + 1];
        var depth = 0;
        var pos = 0;
        while (true)
        {
            if (pos >= data.Length)
            {
                detail = "message is truncated";
                return ErrorCode.MalformedMessage;
            }

            var code = data[pos++];
            long length = 0; // bytes of payload to skip (scalars, strings, bin, ext)
            long children = -1; // >= 0 when the value is a container
            var isString = false;
            switch (code)
            {
                case <= 0x7f: // positive fixint
                case >= 0xe0: // negative fixint
                case 0xc0 or 0xc2 or 0xc3: // nil, false, true
                    break;
                case <= 0x8f: // fixmap
                    children = (code & 0x0f) * 2L;
                    break;
                case <= 0x9f: // fixarray
                    children = code & 0x0f;
                    break;
                case <= 0xbf: // fixstr
                    length = code & 0x1f;
                    isString = true;
                    break;
                case 0xc1:
                    detail = "byte 0xc1 is never used in MessagePack";
                    return ErrorCode.MalformedMessage;
                case 0xc4 or 0xd9: // bin8, str8
                    if (!TryReadLength(data, ref pos, 1, out length))
                    {
                        goto Truncated;
                    }

                    isString = true;
                    break;
                case 0xc5 or 0xda: // bin16, str16
                    if (!TryReadLength(data, ref pos, 2, out length))
                    {
                        goto Truncated;
                    }

                    isString = true;
                    break;
                case 0xc6 or 0xdb: // bin32, str32
                    if (!TryReadLength(data, ref pos, 4, out length))
                    {
                        goto Truncated;
                    }

                    isString = true;
                    break;
                case 0xc7: // ext8: length, type, data
                    if (!TryReadLength(data, ref pos, 1, out length))
                    {
                        goto Truncated;
                    }

                    length += 1;
                    break;
                case 0xc8:
                    if (!TryReadLength(data, ref pos, 2, out length))
                    {
                        goto Truncated;
                    }

                    length += 1;
                    break;
                case 0xc9:
                    if (!TryReadLength(data, ref pos, 4, out length))
                    {
                        goto Truncated;
                    }

                    length += 1;
                    break;
                case 0xca: length = 4; break; // float32
                case 0xcb: length = 8; break; // float64
                case 0xcc or 0xd0: length = 1; break;
                case 0xcd or 0xd1: length = 2; break;
                case 0xce or 0xd2: length = 4; break;
                case 0xcf or 0xd3: length = 8; break;
                case 0xd4: length = 2; break; // fixext1: type + 1
                case 0xd5: length = 3; break;
                case 0xd6: length = 5; break;
                case 0xd7: length = 9; break;
                case 0xd8: length = 17; break;
                case 0xdc: // array16
                    if (!TryReadLength(data, ref pos, 2, out children))
                    {
                        goto Truncated;
                    }

                    break;
                case 0xdd: // array32
                    if (!TryReadLength(data, ref pos, 4, out children))
                    {
                        goto Truncated;
                    }

                    break;
                case 0xde: // map16
                    if (!TryReadLength(data, ref pos, 2, out children))
                    {
                        goto Truncated;
                    }

                    children *= 2;
                    break;
                default: // 0xdf map32
                    if (!TryReadLength(data, ref pos, 4, out children))
                    {
                        goto Truncated;
                    }

                    children *= 2;
                    break;
            }

            if (children >= 0)
            {
                if (children > limits.MaxCollectionLength)
                {
                    detail = "array or map longer than the limit";
                    return ErrorCode.CollectionTooLarge;
                }

                // Every value takes at least one byte: a header claiming more values than bytes is a lie.
                if (children > data.Length - pos)
                {
                    detail = "array or map claims more elements than bytes remain";
                    return ErrorCode.CollectionTooLarge;
                }

                if (children > 0)
                {
                    if (depth == limits.MaxDepth)
                    {
                        detail = "arrays nest deeper than the protocol allows";
                        return ErrorCode.NestingTooDeep;
                    }

                    remaining[++depth] = children;
                    continue;
                }
            }
            else
            {
                if (isString && length > limits.MaxStringBytes)
                {
                    detail = "string or binary longer than the limit";
                    return ErrorCode.CollectionTooLarge;
                }

                if (length > data.Length - pos)
                {
                    goto Truncated;
                }

                pos += (int)length;
            }

            // One value completed: close every container it completes.
            while (depth > 0 && --remaining[depth] == 0)
            {
                depth--;
            }

            if (depth == 0)
            {
                if (pos != data.Length)
                {
                    detail = "bytes after the end of the message";
                    return ErrorCode.MalformedMessage;
                }

                detail = string.Empty;
                return ErrorCode.None;
            }
        }

    Truncated:
        detail = "message is truncated";
        return ErrorCode.MalformedMessage;
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
