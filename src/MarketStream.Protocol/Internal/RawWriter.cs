using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace MarketStream.Protocol.Internal;

/// <summary>
/// Direct MessagePack format writes into memory the caller has already sized (the encode-once hot
/// path, docs/protocol.md §4.6). Every integer uses the smallest representation, exactly as
/// <c>MessagePackWriter.Write(long)</c> does, so both paths produce identical bytes (a test holds this).
/// No bounds checks here: callers check capacity once per message against a proven upper bound.
/// </summary>
internal static class RawWriter
{
    /// <summary>Longest encoding of an int64 (0xcf/0xd3 + 8 bytes).</summary>
    public const int MaxInt64Length = 9;

    /// <summary>Longest encoding of an int32.</summary>
    public const int MaxInt32Length = 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteByte(ref byte dst, int pos, byte value)
    {
        Unsafe.Add(ref dst, pos) = value;
        return pos + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteInt64(ref byte dst, int pos, long value)
    {
        ref var p = ref Unsafe.Add(ref dst, pos);
        if ((ulong)value <= 0x7f)
        {
            p = (byte)value;
            return pos + 1;
        }

        return WriteInt64Slow(ref p, pos, value);
    }

    private static int WriteInt64Slow(ref byte p, int pos, long value)
    {
        if (value >= 0)
        {
            if (value <= byte.MaxValue)
            {
                p = 0xcc;
                Unsafe.Add(ref p, 1) = (byte)value;
                return pos + 2;
            }

            if (value <= ushort.MaxValue)
            {
                p = 0xcd;
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 1), BinaryPrimitives.ReverseEndianness((ushort)value));
                return pos + 3;
            }

            if (value <= uint.MaxValue)
            {
                p = 0xce;
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 1), BinaryPrimitives.ReverseEndianness((uint)value));
                return pos + 5;
            }

            p = 0xcf;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 1), BinaryPrimitives.ReverseEndianness((ulong)value));
            return pos + 9;
        }

        if (value >= -32)
        {
            p = (byte)value;
            return pos + 1;
        }

        if (value >= sbyte.MinValue)
        {
            p = 0xd0;
            Unsafe.Add(ref p, 1) = (byte)value;
            return pos + 2;
        }

        if (value >= short.MinValue)
        {
            p = 0xd1;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 1), BinaryPrimitives.ReverseEndianness((short)value));
            return pos + 3;
        }

        if (value >= int.MinValue)
        {
            p = 0xd2;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 1), BinaryPrimitives.ReverseEndianness((int)value));
            return pos + 5;
        }

        p = 0xd3;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 1), BinaryPrimitives.ReverseEndianness(value));
        return pos + 9;
    }

    /// <summary>Smallest array header for <paramref name="count"/> elements.</summary>
    public static int WriteArrayHeader(ref byte dst, int pos, int count)
    {
        ref var p = ref Unsafe.Add(ref dst, pos);
        if (count <= 15)
        {
            p = (byte)(0x90 | count);
            return pos + 1;
        }

        if (count <= ushort.MaxValue)
        {
            p = 0xdc;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 1), BinaryPrimitives.ReverseEndianness((ushort)count));
            return pos + 3;
        }

        p = 0xdd;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 1), BinaryPrimitives.ReverseEndianness((uint)count));
        return pos + 5;
    }

    /// <summary>Bytes the smallest array header for <paramref name="count"/> takes.</summary>
    public static int ArrayHeaderLength(int count) => count <= 15 ? 1 : count <= ushort.MaxValue ? 3 : 5;
}
