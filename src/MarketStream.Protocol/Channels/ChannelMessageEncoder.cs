using System.Runtime.InteropServices;
using MarketStream.Protocol.Internal;

namespace MarketStream.Protocol;

/// <summary>
/// Encodes the value channels' messages — Bar, Statistics, Status (docs/protocol.md §4.25–§4.27) — and
/// ReplayComplete (§4.28) with direct format writes into a span: fixed-size messages of integers, one capacity
/// check each, no allocation. Stateless and thread-safe.
/// </summary>
public static class ChannelMessageEncoder
{
    private const int I64 = RawWriter.MaxInt64Length;
    private const int I32 = RawWriter.MaxInt32Length;

    /// <summary>Longest Bar: header, type, id, epoch, seq, count, interval, start, 7 values, final.</summary>
    public const int MaxBarBytes = 1 + 1 + I32 + (2 * I64) + (2 * I32) + I64 + (7 * I64) + 1;

    /// <summary>Longest Statistics: header, type, id, epoch, seq, count, date, 9 values, server time.</summary>
    public const int MaxStatisticsBytes = 1 + 1 + I32 + (2 * I64) + (2 * I32) + (9 * I64) + I64;

    /// <summary>Longest Status: header, type, id, epoch, seq, count, three codes, two times.</summary>
    public const int MaxStatusBytes = 1 + 1 + I32 + (2 * I64) + I32 + (3 * I32) + (2 * I64);

    /// <summary>Longest ReplayComplete: header, type, request id, id, replayed, server time.</summary>
    public const int MaxReplayCompleteBytes = 1 + 1 + I64 + I32 + (2 * I64);

    /// <summary>§4.25 <c>[33, symbolId, epoch, seq, count, intervalSeconds, startTimeNs, open, high, low, close, volume, tradeCount, vwap, final]</c>.</summary>
    /// <returns>Bytes written.</returns>
    public static int EncodeBar(in Bar bar, Span<byte> destination)
    {
        Check(destination, MaxBarBytes);
        return WriteBar(ref MemoryMarshal.GetReference(destination), 0, bar);
    }

    /// <summary>§4.26 <c>[34, symbolId, epoch, seq, count, sessionDate, open, high, low, last, volume, vwap, tradeCount, previousClose, change, serverTimeNs]</c>.</summary>
    /// <returns>Bytes written.</returns>
    public static int EncodeStatistics(in SessionStatistics s, Span<byte> destination)
    {
        Check(destination, MaxStatisticsBytes);
        return WriteStatistics(ref MemoryMarshal.GetReference(destination), 0, s);
    }

    /// <summary>§4.27 <c>[35, symbolId, epoch, seq, count, status, haltReason, stale, sinceNs, serverTimeNs]</c>.</summary>
    /// <returns>Bytes written.</returns>
    public static int EncodeStatus(in SymbolStatus s, Span<byte> destination)
    {
        Check(destination, MaxStatusBytes);
        return WriteStatus(ref MemoryMarshal.GetReference(destination), 0, s);
    }

    /// <summary>§4.28 <c>[37, requestId, symbolId, replayed, serverTimeNs]</c>.</summary>
    /// <returns>Bytes written.</returns>
    public static int EncodeReplayComplete(long requestId, int symbolId, long replayed, long serverTimeNs, Span<byte> destination)
    {
        Check(destination, MaxReplayCompleteBytes);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var pos = RawWriter.WriteByte(ref dst, 0, 0x95); // fixarray(5)
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.ReplayComplete);
        pos = RawWriter.WriteInt64(ref dst, pos, requestId);
        pos = RawWriter.WriteInt64(ref dst, pos, symbolId);
        pos = RawWriter.WriteInt64(ref dst, pos, replayed);
        return RawWriter.WriteInt64(ref dst, pos, serverTimeNs);
    }

    internal static int WriteBar(ref byte dst, int pos, in Bar b)
    {
        pos = RawWriter.WriteByte(ref dst, pos, 0x9f); // fixarray(15)
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.Bar);
        pos = RawWriter.WriteInt64(ref dst, pos, b.SymbolId);
        pos = RawWriter.WriteInt64(ref dst, pos, b.Epoch);
        pos = RawWriter.WriteInt64(ref dst, pos, b.Seq);
        pos = RawWriter.WriteInt64(ref dst, pos, b.Count);
        pos = RawWriter.WriteInt64(ref dst, pos, b.IntervalSeconds);
        pos = RawWriter.WriteInt64(ref dst, pos, b.StartTimeNs);
        pos = RawWriter.WriteInt64(ref dst, pos, b.Open);
        pos = RawWriter.WriteInt64(ref dst, pos, b.High);
        pos = RawWriter.WriteInt64(ref dst, pos, b.Low);
        pos = RawWriter.WriteInt64(ref dst, pos, b.Close);
        pos = RawWriter.WriteInt64(ref dst, pos, b.Volume);
        pos = RawWriter.WriteInt64(ref dst, pos, b.TradeCount);
        pos = RawWriter.WriteInt64(ref dst, pos, b.Vwap);
        return RawWriter.WriteByte(ref dst, pos, b.Final ? (byte)1 : (byte)0);
    }

    internal static int WriteStatistics(ref byte dst, int pos, in SessionStatistics s)
    {
        pos = RawWriter.WriteByte(ref dst, pos, 0xdc); // array16(16): one more than a fixarray holds
        pos = RawWriter.WriteByte(ref dst, pos, 0x00);
        pos = RawWriter.WriteByte(ref dst, pos, 16);
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.Statistics);
        pos = RawWriter.WriteInt64(ref dst, pos, s.SymbolId);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Epoch);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Seq);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Count);
        pos = RawWriter.WriteInt64(ref dst, pos, s.SessionDate);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Open);
        pos = RawWriter.WriteInt64(ref dst, pos, s.High);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Low);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Last);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Volume);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Vwap);
        pos = RawWriter.WriteInt64(ref dst, pos, s.TradeCount);
        pos = RawWriter.WriteInt64(ref dst, pos, s.PreviousClose);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Change);
        return RawWriter.WriteInt64(ref dst, pos, s.ServerTimeNs);
    }

    internal static int WriteStatus(ref byte dst, int pos, in SymbolStatus s)
    {
        pos = RawWriter.WriteByte(ref dst, pos, 0x9a); // fixarray(10)
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.Status);
        pos = RawWriter.WriteInt64(ref dst, pos, s.SymbolId);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Epoch);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Seq);
        pos = RawWriter.WriteInt64(ref dst, pos, s.Count);
        pos = RawWriter.WriteInt64(ref dst, pos, (byte)s.Status);
        pos = RawWriter.WriteInt64(ref dst, pos, (byte)s.HaltReason);
        pos = RawWriter.WriteInt64(ref dst, pos, (byte)s.Stale);
        pos = RawWriter.WriteInt64(ref dst, pos, s.SinceNs);
        return RawWriter.WriteInt64(ref dst, pos, s.ServerTimeNs);
    }

    private static void Check(Span<byte> destination, int needed)
    {
        if (destination.Length < needed)
        {
            ThrowHelper.ThrowDestinationTooSmall(nameof(destination), needed);
        }
    }
}
