using System.Buffers.Binary;
using System.IO.Hashing;

namespace MarketStream.Protocol;

/// <summary>
/// The checksum every book message carries (docs/protocol.md §4.24): CRC-32 (IEEE 802.3, as zlib's
/// <c>crc32</c> and <see cref="Crc32"/> compute it) over exactly <see cref="HashedBytes"/> bytes — the best
/// <see cref="Levels"/> bids, then the best <see cref="Levels"/> asks, each level as its price and size
/// mantissas in little-endian int64, a missing level as 16 zero bytes. Order counts are not hashed. Allocates nothing.
/// </summary>
public static class BookChecksum
{
    /// <summary>Levels per side covered by the checksum.</summary>
    public const int Levels = 10;

    /// <summary>Bytes hashed: two sides × 10 levels × (price, size) × 8 bytes.</summary>
    public const int HashedBytes = 2 * Levels * 16;

    /// <summary>Checksum of a book whose sides are given best first (only the first 10 of each are used).</summary>
    public static uint Compute(ReadOnlySpan<BookLevel> bids, ReadOnlySpan<BookLevel> asks)
    {
        Span<byte> buffer = stackalloc byte[HashedBytes];
        WriteHashedBytes(bids, asks, buffer);
        return Crc32.HashToUInt32(buffer);
    }

    /// <summary>
    /// The exact bytes <see cref="Compute"/> hashes, into <paramref name="destination"/> (at least
    /// <see cref="HashedBytes"/> long): for a client that wants to check its own serialisation.
    /// </summary>
    public static void WriteHashedBytes(ReadOnlySpan<BookLevel> bids, ReadOnlySpan<BookLevel> asks, Span<byte> destination)
    {
        if (destination.Length < HashedBytes)
        {
            Internal.ThrowHelper.ThrowDestinationTooSmall(nameof(destination), HashedBytes);
        }

        WriteSide(bids, destination[..(HashedBytes / 2)]);
        WriteSide(asks, destination.Slice(HashedBytes / 2, HashedBytes / 2));
    }

    private static void WriteSide(ReadOnlySpan<BookLevel> levels, Span<byte> side)
    {
        var n = Math.Min(levels.Length, Levels);
        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(side.Slice(i * 16, 8), levels[i].Price);
            BinaryPrimitives.WriteInt64LittleEndian(side.Slice((i * 16) + 8, 8), levels[i].Size);
        }

        side[(n * 16)..].Clear();
    }
}
