using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MarketStream.Protocol.Internal;

namespace MarketStream.Protocol;

/// <summary>
/// Encodes BookSnapshot, BookChange and BookMerged (docs/protocol.md §4.21–§4.23) with direct format writes into a
/// span, as <see cref="MessagePackUpdateEncoder"/> does for updates: one capacity check per message against a proven
/// bound, smallest integer encodings, no allocation. The engine encodes a change once and every subscriber copies the
/// bytes; <see cref="BatchWriter"/> appends them straight into frames. Stateless and thread-safe.
/// </summary>
public static class BookMessageEncoder
{
    /// <summary>Longest <c>[price, size, orders]</c>.</summary>
    public const int MaxSnapshotLevelBytes = 1 + (2 * RawWriter.MaxInt64Length) + RawWriter.MaxInt32Length;

    /// <summary>Longest <c>[side, price, size, orders]</c>.</summary>
    public const int MaxChangeLevelBytes = 1 + 1 + (2 * RawWriter.MaxInt64Length) + RawWriter.MaxInt32Length;

    /// <summary>Longest BookChange with one level.</summary>
    public const int MaxSingleChangeBytes = ChangeFixedBytes + MaxChangeLevelBytes;

    // Array header, type, symbol id, epoch, seq, levels header (array32 at most), checksum, two timestamps.
    private const int ChangeFixedBytes = 1 + 1 + RawWriter.MaxInt32Length + (2 * RawWriter.MaxInt64Length) + 5
        + RawWriter.MaxInt32Length + (2 * RawWriter.MaxInt64Length);

    // Merged adds lastSeq and count.
    private const int MergedFixedBytes = ChangeFixedBytes + RawWriter.MaxInt64Length + RawWriter.MaxInt32Length;

    // Array header, type, requestId, reason, symbol id, epoch, seq, depth, two level headers, checksum, two timestamps.
    private const int SnapshotFixedBytes = 1 + 1 + RawWriter.MaxInt64Length + RawWriter.MaxInt32Length + RawWriter.MaxInt32Length
        + (2 * RawWriter.MaxInt64Length) + RawWriter.MaxInt32Length + (2 * 5) + RawWriter.MaxInt32Length + (2 * RawWriter.MaxInt64Length);

    /// <summary>Upper bound of a BookSnapshot with these level counts.</summary>
    public static int MaxSnapshotBytes(int bidLevels, int askLevels) =>
        SnapshotFixedBytes + ((bidLevels + askLevels) * MaxSnapshotLevelBytes);

    /// <summary>Upper bound of a BookChange with <paramref name="levels"/> levels.</summary>
    public static int MaxChangeBytes(int levels) => ChangeFixedBytes + (levels * MaxChangeLevelBytes);

    /// <summary>Upper bound of a BookMerged with <paramref name="levels"/> levels.</summary>
    public static int MaxMergedBytes(int levels) => MergedFixedBytes + (levels * MaxChangeLevelBytes);

    /// <summary>
    /// §4.21 <c>[30, requestId, reason, symbolId, epoch, seq, depth, bids, asks, checksum, exchangeTimeNs, serverTimeNs]</c>;
    /// <paramref name="bids"/> and <paramref name="asks"/> best first, at most <paramref name="depth"/> each.
    /// <paramref name="reason"/> is <c>default</c> (0) unless the snapshot is a reset.
    /// </summary>
    /// <returns>Bytes written.</returns>
    public static int EncodeSnapshot(
        Span<byte> destination, long requestId, ResetReason reason, int symbolId, long epoch, long seq, int depth,
        ReadOnlySpan<BookLevel> bids, ReadOnlySpan<BookLevel> asks, uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        var needed = MaxSnapshotBytes(bids.Length, asks.Length);
        if (destination.Length < needed)
        {
            ThrowHelper.ThrowDestinationTooSmall(nameof(destination), needed);
        }

        ref var dst = ref MemoryMarshal.GetReference(destination);
        var pos = RawWriter.WriteByte(ref dst, 0, 0x9c); // fixarray(12)
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.BookSnapshot);
        pos = RawWriter.WriteInt64(ref dst, pos, requestId);
        pos = RawWriter.WriteInt64(ref dst, pos, (int)reason);
        pos = RawWriter.WriteInt64(ref dst, pos, symbolId);
        pos = RawWriter.WriteInt64(ref dst, pos, epoch);
        pos = RawWriter.WriteInt64(ref dst, pos, seq);
        pos = RawWriter.WriteInt64(ref dst, pos, depth);
        pos = WriteSide(ref dst, pos, bids);
        pos = WriteSide(ref dst, pos, asks);
        pos = RawWriter.WriteInt64(ref dst, pos, checksum);
        pos = RawWriter.WriteInt64(ref dst, pos, exchangeTimeNs);
        return RawWriter.WriteInt64(ref dst, pos, serverTimeNs);
    }

    /// <summary>§4.22 <c>[31, symbolId, epoch, seq, levels, checksum, exchangeTimeNs, serverTimeNs]</c>.</summary>
    /// <returns>Bytes written.</returns>
    public static int EncodeChange(
        Span<byte> destination, int symbolId, long epoch, long seq, ReadOnlySpan<BookLevelChange> levels,
        uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        var needed = MaxChangeBytes(levels.Length);
        if (destination.Length < needed)
        {
            ThrowHelper.ThrowDestinationTooSmall(nameof(destination), needed);
        }

        return WriteChange(ref MemoryMarshal.GetReference(destination), 0, symbolId, epoch, seq, levels, checksum, exchangeTimeNs, serverTimeNs);
    }

    /// <summary>§4.23 <c>[32, symbolId, epoch, firstSeq, lastSeq, count, levels, checksum, exchangeTimeNs, serverTimeNs]</c>.</summary>
    /// <returns>Bytes written.</returns>
    public static int EncodeMerged(
        Span<byte> destination, int symbolId, long epoch, long firstSeq, long lastSeq, int count,
        ReadOnlySpan<BookLevelChange> levels, uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        var needed = MaxMergedBytes(levels.Length);
        if (destination.Length < needed)
        {
            ThrowHelper.ThrowDestinationTooSmall(nameof(destination), needed);
        }

        ref var dst = ref MemoryMarshal.GetReference(destination);
        var pos = RawWriter.WriteByte(ref dst, 0, 0x9a); // fixarray(10)
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.BookMerged);
        pos = RawWriter.WriteInt64(ref dst, pos, symbolId);
        pos = RawWriter.WriteInt64(ref dst, pos, epoch);
        pos = RawWriter.WriteInt64(ref dst, pos, firstSeq);
        pos = RawWriter.WriteInt64(ref dst, pos, lastSeq);
        pos = RawWriter.WriteInt64(ref dst, pos, count);
        pos = WriteChanges(ref dst, pos, levels);
        pos = RawWriter.WriteInt64(ref dst, pos, checksum);
        pos = RawWriter.WriteInt64(ref dst, pos, exchangeTimeNs);
        return RawWriter.WriteInt64(ref dst, pos, serverTimeNs);
    }

    /// <summary>BookChange at <paramref name="pos"/>; the caller guarantees <see cref="MaxChangeBytes"/> of room.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int WriteChange(
        ref byte dst, int pos, int symbolId, long epoch, long seq, ReadOnlySpan<BookLevelChange> levels,
        uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        pos = RawWriter.WriteByte(ref dst, pos, 0x98); // fixarray(8)
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.BookChange);
        pos = RawWriter.WriteInt64(ref dst, pos, symbolId);
        pos = RawWriter.WriteInt64(ref dst, pos, epoch);
        pos = RawWriter.WriteInt64(ref dst, pos, seq);
        pos = WriteChanges(ref dst, pos, levels);
        pos = RawWriter.WriteInt64(ref dst, pos, checksum);
        pos = RawWriter.WriteInt64(ref dst, pos, exchangeTimeNs);
        return RawWriter.WriteInt64(ref dst, pos, serverTimeNs);
    }

    private static int WriteSide(ref byte dst, int pos, ReadOnlySpan<BookLevel> levels)
    {
        pos = RawWriter.WriteArrayHeader(ref dst, pos, levels.Length);
        foreach (ref readonly var level in levels)
        {
            pos = RawWriter.WriteByte(ref dst, pos, 0x93); // fixarray(3)
            pos = RawWriter.WriteInt64(ref dst, pos, level.Price);
            pos = RawWriter.WriteInt64(ref dst, pos, level.Size);
            pos = RawWriter.WriteInt64(ref dst, pos, level.Orders);
        }

        return pos;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteChanges(ref byte dst, int pos, ReadOnlySpan<BookLevelChange> levels)
    {
        pos = RawWriter.WriteArrayHeader(ref dst, pos, levels.Length);
        foreach (ref readonly var level in levels)
        {
            pos = RawWriter.WriteByte(ref dst, pos, 0x94); // fixarray(4)
            pos = RawWriter.WriteInt64(ref dst, pos, (byte)level.Side);
            pos = RawWriter.WriteInt64(ref dst, pos, level.Price);
            pos = RawWriter.WriteInt64(ref dst, pos, level.Size);
            pos = RawWriter.WriteInt64(ref dst, pos, level.Orders);
        }

        return pos;
    }
}
