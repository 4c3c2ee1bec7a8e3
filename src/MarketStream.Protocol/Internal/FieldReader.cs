using System.Text;
using MessagePack;
using MarketStream.Model;

namespace MarketStream.Protocol.Internal;

/// <summary>
/// Typed reads that check the MessagePack type before reading, so a wrong type is a false return,
/// never an exception. Only used after <see cref="StructureValidator"/> accepted the whole message,
/// which guarantees every value the array headers announce is present.
/// </summary>
internal static class FieldReader
{
    public static bool TryReadArrayHeader(ref MessagePackReader reader, out int count)
    {
        if (reader.End || reader.NextMessagePackType != MessagePackType.Array)
        {
            count = 0;
            return false;
        }

        count = reader.ReadArrayHeader();
        return true;
    }

    /// <summary>An array header, or nil (count = -1).</summary>
    public static bool TryReadArrayHeaderOrNil(ref MessagePackReader reader, out int count)
    {
        if (!reader.End && reader.NextMessagePackType == MessagePackType.Nil)
        {
            reader.ReadNil();
            count = -1;
            return true;
        }

        return TryReadArrayHeader(ref reader, out count);
    }

    public static bool TryReadInt64(ref MessagePackReader reader, out long value)
    {
        value = 0;
        if (reader.End || reader.NextMessagePackType != MessagePackType.Integer)
        {
            return false;
        }

        if (reader.NextCode == MessagePackCode.UInt64)
        {
            var u = reader.ReadUInt64();
            if (u > long.MaxValue)
            {
                return false;
            }

            value = (long)u;
            return true;
        }

        value = reader.ReadInt64();
        return true;
    }

    public static bool TryReadInt64(ref MessagePackReader reader, long min, long max, out long value) =>
        TryReadInt64(ref reader, out value) && value >= min && value <= max;

    public static bool TryReadInt32(ref MessagePackReader reader, int min, int max, out int value)
    {
        if (TryReadInt64(ref reader, min, max, out var v))
        {
            value = (int)v;
            return true;
        }

        value = 0;
        return false;
    }

    public static bool TryReadString(ref MessagePackReader reader, out string value)
    {
        if (reader.End || reader.NextMessagePackType != MessagePackType.String)
        {
            value = string.Empty;
            return false;
        }

        value = reader.ReadString() ?? string.Empty;
        return true;
    }

    /// <summary>Reads a string's UTF-8 bytes without allocating (the message is contiguous, see callers).</summary>
    public static bool TryReadUtf8(ref MessagePackReader reader, out ReadOnlySpan<byte> utf8)
    {
        if (reader.End || reader.NextMessagePackType != MessagePackType.String)
        {
            utf8 = default;
            return false;
        }

        var sequence = reader.ReadStringSequence();
        if (sequence is not { IsSingleSegment: true } s)
        {
            utf8 = default;
            return false;
        }

        utf8 = s.FirstSpan;
        return true;
    }

    /// <summary>True if the next value is a string: a value of another type is a wrong type (§5: 1002), not an invalid name.</summary>
    public static bool NextIsString(ref MessagePackReader reader) =>
        !reader.End && reader.NextMessagePackType == MessagePackType.String;

    /// <summary>Reads a symbol name (or pattern) and checks its charset and length before allocating the string.</summary>
    public static bool TryReadSymbol(ref MessagePackReader reader, bool pattern, out string value)
    {
        if (TryReadUtf8(ref reader, out var utf8)
            && (pattern ? SymbolRules.IsValidPattern(utf8) : SymbolRules.IsValidName(utf8)))
        {
            value = Encoding.ASCII.GetString(utf8);
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Skips <paramref name="count"/> values: fields a newer peer appended (forward compatibility, §3).</summary>
    public static void Skip(ref MessagePackReader reader, int count)
    {
        for (var i = 0; i < count; i++)
        {
            reader.Skip();
        }
    }
}
