using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MarketStream.Model;
using MarketStream.Protocol.Internal;

namespace MarketStream.Protocol;

/// <summary>
/// Encodes Update and Merged messages (docs/protocol.md §4.6, §4.7) with direct format writes into a
/// span: no <c>IBufferWriter</c>, no allocation, one capacity check per message. The engine calls it
/// once per update and every subscriber shares the bytes; <see cref="BatchWriter.TryAppendEncoded"/>
/// copies them into frames verbatim. Stateless and thread-safe.
/// </summary>
public sealed class MessagePackUpdateEncoder : IUpdateEncoder
{
    /// <summary>Longest Update: header, type, int32 id, 10 int64 fields, kind.</summary>
    public const int MaxUpdateBytes = 1 + 1 + RawWriter.MaxInt32Length + (10 * RawWriter.MaxInt64Length) + 1;

    /// <summary>Longest Merged: header, type, int32 id and count, 6 int64 fields, a 4-field quote and a 7-field trade.</summary>
    public const int MaxMergedBytes = 1 + 1 + (2 * RawWriter.MaxInt32Length) + (6 * RawWriter.MaxInt64Length)
        + (1 + (4 * RawWriter.MaxInt64Length))
        + (1 + RawWriter.MaxInt32Length + (5 * RawWriter.MaxInt64Length) + 1);

    /// <summary>Shared instance; the encoder has no state.</summary>
    public static MessagePackUpdateEncoder Instance { get; } = new();

    /// <inheritdoc/>
    public int MaxUpdateLength => Math.Max(MaxUpdateBytes, MaxMergedBytes);

    /// <inheritdoc/>
    public int EncodeUpdate(in Tick tick, Span<byte> destination)
    {
        if (destination.Length < MaxUpdateBytes)
        {
            ThrowHelper.ThrowDestinationTooSmall(nameof(destination), MaxUpdateBytes);
        }

        return WriteUpdate(ref MemoryMarshal.GetReference(destination), 0, tick);
    }

    /// <inheritdoc/>
    public int EncodeMerged(in MergedUpdate merged, Span<byte> destination)
    {
        if (destination.Length < MaxMergedBytes)
        {
            ThrowHelper.ThrowDestinationTooSmall(nameof(destination), MaxMergedBytes);
        }

        return WriteMerged(ref MemoryMarshal.GetReference(destination), 0, merged);
    }

    /// <summary>
    /// <c>[21, symbolId, epoch, seq, kind, a, b, c, d, exchangeTimeNs, receiveTimeNs, serverTimeNs]</c>;
    /// a..d are bid price, bid size, ask price, ask size for a quote and price, size, side, conditions
    /// for a trade (docs/protocol.md §4.6). Caller guarantees <see cref="MaxUpdateBytes"/> of room.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int WriteUpdate(ref byte dst, int pos, in Tick tick)
    {
        pos = RawWriter.WriteByte(ref dst, pos, 0x9c); // fixarray(12)
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.Update);
        pos = RawWriter.WriteInt64(ref dst, pos, tick.SymbolId);
        pos = RawWriter.WriteInt64(ref dst, pos, tick.Epoch);
        pos = RawWriter.WriteInt64(ref dst, pos, tick.Seq);
        pos = RawWriter.WriteInt64(ref dst, pos, (byte)tick.Kind);
        if (tick.Kind == TickKind.Trade)
        {
            pos = RawWriter.WriteInt64(ref dst, pos, tick.Price);
            pos = RawWriter.WriteInt64(ref dst, pos, tick.Size);
            pos = RawWriter.WriteInt64(ref dst, pos, (byte)tick.Side);
            pos = RawWriter.WriteInt64(ref dst, pos, tick.Conditions);
        }
        else
        {
            pos = RawWriter.WriteInt64(ref dst, pos, tick.BidPrice);
            pos = RawWriter.WriteInt64(ref dst, pos, tick.BidSize);
            pos = RawWriter.WriteInt64(ref dst, pos, tick.AskPrice);
            pos = RawWriter.WriteInt64(ref dst, pos, tick.AskSize);
        }

        pos = RawWriter.WriteInt64(ref dst, pos, tick.ExchangeTimeNs);
        pos = RawWriter.WriteInt64(ref dst, pos, tick.ReceiveTimeNs);
        return RawWriter.WriteInt64(ref dst, pos, tick.ServerTimeNs);
    }

    /// <summary>
    /// <c>[22, symbolId, epoch, firstSeq, lastSeq, count, quote|nil, trade|nil, exchangeTimeNs, receiveTimeNs, serverTimeNs]</c>
    /// (docs/protocol.md §4.7). Caller guarantees <see cref="MaxMergedBytes"/> of room.
    /// </summary>
    internal static int WriteMerged(ref byte dst, int pos, in MergedUpdate m)
    {
        pos = RawWriter.WriteByte(ref dst, pos, 0x9b); // fixarray(11)
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.Merged);
        pos = RawWriter.WriteInt64(ref dst, pos, m.SymbolId);
        pos = RawWriter.WriteInt64(ref dst, pos, m.Epoch);
        pos = RawWriter.WriteInt64(ref dst, pos, m.FirstSeq);
        pos = RawWriter.WriteInt64(ref dst, pos, m.LastSeq);
        pos = RawWriter.WriteInt64(ref dst, pos, m.Count);
        if (m.HasQuote)
        {
            pos = RawWriter.WriteByte(ref dst, pos, 0x94);
            pos = RawWriter.WriteInt64(ref dst, pos, m.BidPrice);
            pos = RawWriter.WriteInt64(ref dst, pos, m.BidSize);
            pos = RawWriter.WriteInt64(ref dst, pos, m.AskPrice);
            pos = RawWriter.WriteInt64(ref dst, pos, m.AskSize);
        }
        else
        {
            pos = RawWriter.WriteByte(ref dst, pos, 0xc0);
        }

        if (m.TradeCount > 0)
        {
            pos = RawWriter.WriteByte(ref dst, pos, 0x97);
            pos = RawWriter.WriteInt64(ref dst, pos, m.TradeCount);
            pos = RawWriter.WriteInt64(ref dst, pos, m.LastPrice);
            pos = RawWriter.WriteInt64(ref dst, pos, m.LastSize);
            pos = RawWriter.WriteInt64(ref dst, pos, (byte)m.LastSide);
            pos = RawWriter.WriteInt64(ref dst, pos, m.Volume);
            pos = RawWriter.WriteInt64(ref dst, pos, m.High);
            pos = RawWriter.WriteInt64(ref dst, pos, m.Low);
        }
        else
        {
            pos = RawWriter.WriteByte(ref dst, pos, 0xc0);
        }

        pos = RawWriter.WriteInt64(ref dst, pos, m.ExchangeTimeNs);
        pos = RawWriter.WriteInt64(ref dst, pos, m.ReceiveTimeNs);
        return RawWriter.WriteInt64(ref dst, pos, m.ServerTimeNs);
    }
}
