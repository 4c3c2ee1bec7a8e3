using System.Runtime.CompilerServices;

namespace MarketStream.Protocol.Internal;

/// <summary>
/// Walks a whole message over raw bytes before any typed read (docs/protocol.md §7): exactly one
/// well-formed MessagePack value, no trailing bytes, arrays no deeper than <see cref="DecoderLimits.MaxDepth"/>,
/// every length within its limit and within the bytes that remain. After this pass, typed reads cannot run
/// off the end, so the readers only check types and ranges. Never throws; never allocates.
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

        // The open containers' remaining value counts: the innermost in a local (it changes on every value),
        // the enclosing ones on the stack; the top level is a "container" of exactly one value.
        // (An inline array rather than stackalloc: with a localloc in the method the JIT kept left and depth in memory.)
        var enclosing = default(EnclosingCounts);
        var depth = 0;
        long left = 1;
        var pos = 0;
        while (true)
        {
            if (pos >= data.Length)
            {
                goto Truncated;
            }

            var code = data[pos++];
            long opened = 0; // values in a non-empty container that starts here
            if (code is <= 0x7f or >= 0xe0)
            {
                // fixint: most of every update; nothing to skip.
            }
            else if (code is >= 0xcc and <= 0xd3)
            {
                // (u)int8–64: the other integers, timestamps and prices.
                var width = 1 << (code & 3);
                if (width > data.Length - pos)
                {
                    goto Truncated;
                }

                pos += width;
            }
            else if (code is >= 0x90 and <= 0x9f)
            {
                // fixarray: every message, and Merged's quote and trade groups.
                opened = code & 0x0f;
                var check = CheckCollection(opened, data.Length - pos, limits, out detail);
                if (check != ErrorCode.None)
                {
                    return check;
                }
            }
            else if (code != 0xc0)
            {
                // Everything else but nil (maps, long arrays, strings, …) in a helper: keeping pos, left and depth out
                // of any ref parameter lets the JIT hold them in registers through this loop.
                var next = pos;
                var status = ValidateOther(data, ref next, code, limits, out opened, out detail);
                if (status != ErrorCode.None)
                {
                    return status;
                }

                pos = next;
            }

            if (opened > 0)
            {
                if (depth == limits.MaxDepth)
                {
                    detail = "arrays nest deeper than the protocol allows";
                    return ErrorCode.NestingTooDeep;
                }

                enclosing[depth++] = left;
                left = opened;
                continue;
            }

            // One value completed: close every container it completes.
            while (--left == 0)
            {
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

                left = enclosing[--depth];
            }
        }

    Truncated:
        detail = "message is truncated";
        return ErrorCode.MalformedMessage;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ErrorCode CheckCollection(long children, int bytesLeft, DecoderLimits limits, out string detail)
    {
        if (children > limits.MaxCollectionLength)
        {
            detail = "array or map longer than the limit";
            return ErrorCode.CollectionTooLarge;
        }

        // Every value takes at least one byte: a header claiming more values than bytes is a lie.
        if (children > bytesLeft)
        {
            detail = "array or map claims more elements than bytes remain";
            return ErrorCode.CollectionTooLarge;
        }

        detail = string.Empty;
        return ErrorCode.None;
    }

    [InlineArray(DecoderLimits.MaxSupportedDepth + 1)]
    private struct EnclosingCounts
    {
        private long _first;
    }

    /// <summary>
    /// Checks one value other than an integer after its type byte: its length header against the limits and the bytes
    /// left; moves <c>pos</c> past a scalar's payload, or to a container's first child. <c>children</c> is the values a
    /// container holds (a map counts keys and values), −1 for anything else.
    /// </summary>
    private static ErrorCode ValidateOther(ReadOnlySpan<byte> data, ref int pos, byte code, DecoderLimits limits, out long children, out string detail)
    {
        if (code == 0xc1)
        {
            children = -1;
            detail = "byte 0xc1 is never used in MessagePack";
            return ErrorCode.MalformedMessage;
        }

        if (!MessagePackFormat.TryGetExtent(data, ref pos, code, out var payload, out children, out var isString))
        {
            detail = "message is truncated";
            return ErrorCode.MalformedMessage;
        }

        if (children >= 0)
        {
            return CheckCollection(children, data.Length - pos, limits, out detail);
        }

        if (isString && payload > limits.MaxStringBytes)
        {
            detail = "string or binary longer than the limit";
            return ErrorCode.CollectionTooLarge;
        }

        if (payload > data.Length - pos)
        {
            detail = "message is truncated";
            return ErrorCode.MalformedMessage;
        }

        pos += (int)payload;
        detail = string.Empty;
        return ErrorCode.None;
    }
}
