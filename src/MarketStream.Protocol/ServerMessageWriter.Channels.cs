using MarketStream.Model;
using MessagePack;

namespace MarketStream.Protocol;

/// <summary>The channel messages (docs/protocol.md §4.21–§4.28) through <see cref="MessagePackWriter"/>: the same bytes as the span encoders.</summary>
public static partial class ServerMessageWriter
{
    /// <summary>§4.11 SubscribeAck; with <paramref name="channels"/> (a subscription that named channels) the 5th element lists them.</summary>
    public static void WriteSubscribeAck(ref MessagePackWriter writer, long requestId, SubscriptionMode mode, IReadOnlyList<SymbolInfo> symbols, IReadOnlyList<ChannelRequest>? channels)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (channels is null)
        {
            WriteSubscribeAck(ref writer, requestId, mode, symbols);
            return;
        }

        writer.WriteArrayHeader(5);
        writer.Write((byte)MessageType.SubscribeAck);
        writer.Write(requestId);
        writer.Write((byte)mode);
        writer.WriteArrayHeader(symbols.Count);
        for (var i = 0; i < symbols.Count; i++)
        {
            WriteDefinition(ref writer, symbols[i]);
        }

        Internal.ChannelListFormat.Write(ref writer, channels);
    }

    /// <summary>§4.21 BookSnapshot.</summary>
    public static void WriteBookSnapshot(
        ref MessagePackWriter writer, long requestId, ResetReason reason, int symbolId, long epoch, long seq, int depth,
        ReadOnlySpan<BookLevel> bids, ReadOnlySpan<BookLevel> asks, uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        var span = writer.GetSpan(BookMessageEncoder.MaxSnapshotBytes(bids.Length, asks.Length));
        writer.Advance(BookMessageEncoder.EncodeSnapshot(span, requestId, reason, symbolId, epoch, seq, depth, bids, asks, checksum, exchangeTimeNs, serverTimeNs));
    }

    /// <summary>§4.22 BookChange.</summary>
    public static void WriteBookChange(
        ref MessagePackWriter writer, int symbolId, long epoch, long seq, ReadOnlySpan<BookLevelChange> levels,
        uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        var span = writer.GetSpan(BookMessageEncoder.MaxChangeBytes(levels.Length));
        writer.Advance(BookMessageEncoder.EncodeChange(span, symbolId, epoch, seq, levels, checksum, exchangeTimeNs, serverTimeNs));
    }

    /// <summary>§4.23 BookMerged.</summary>
    public static void WriteBookMerged(
        ref MessagePackWriter writer, int symbolId, long epoch, long firstSeq, long lastSeq, int count,
        ReadOnlySpan<BookLevelChange> levels, uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        var span = writer.GetSpan(BookMessageEncoder.MaxMergedBytes(levels.Length));
        writer.Advance(BookMessageEncoder.EncodeMerged(span, symbolId, epoch, firstSeq, lastSeq, count, levels, checksum, exchangeTimeNs, serverTimeNs));
    }

    /// <summary>§4.25 Bar.</summary>
    public static void WriteBar(ref MessagePackWriter writer, in Bar bar)
    {
        var span = writer.GetSpan(ChannelMessageEncoder.MaxBarBytes);
        writer.Advance(ChannelMessageEncoder.EncodeBar(bar, span));
    }

    /// <summary>§4.26 Statistics.</summary>
    public static void WriteStatistics(ref MessagePackWriter writer, in SessionStatistics statistics)
    {
        var span = writer.GetSpan(ChannelMessageEncoder.MaxStatisticsBytes);
        writer.Advance(ChannelMessageEncoder.EncodeStatistics(statistics, span));
    }

    /// <summary>§4.27 Status.</summary>
    public static void WriteStatus(ref MessagePackWriter writer, in SymbolStatus status)
    {
        var span = writer.GetSpan(ChannelMessageEncoder.MaxStatusBytes);
        writer.Advance(ChannelMessageEncoder.EncodeStatus(status, span));
    }

    /// <summary>§4.28 ReplayComplete.</summary>
    public static void WriteReplayComplete(ref MessagePackWriter writer, long requestId, int symbolId, long replayed, long serverTimeNs)
    {
        var span = writer.GetSpan(ChannelMessageEncoder.MaxReplayCompleteBytes);
        writer.Advance(ChannelMessageEncoder.EncodeReplayComplete(requestId, symbolId, replayed, serverTimeNs, span));
    }

    private static bool TryWriteChannelMessage(ref MessagePackWriter writer, ServerMessageBody message)
    {
        switch (message)
        {
            case BookSnapshotMessage m:
                WriteBookSnapshot(ref writer, m.RequestId, m.Reason, m.SymbolId, m.Epoch, m.Seq, m.Depth, AsSpan(m.Bids), AsSpan(m.Asks), m.Checksum, m.ExchangeTimeNs, m.ServerTimeNs);
                return true;
            case BookChangeMessage m:
                WriteBookChange(ref writer, m.SymbolId, m.Epoch, m.Seq, AsSpan(m.Levels), m.Checksum, m.ExchangeTimeNs, m.ServerTimeNs);
                return true;
            case BookMergedMessage m:
                WriteBookMerged(ref writer, m.SymbolId, m.Epoch, m.FirstSeq, m.LastSeq, m.Count, AsSpan(m.Levels), m.Checksum, m.ExchangeTimeNs, m.ServerTimeNs);
                return true;
            case BarMessage m:
                WriteBar(ref writer, m.Value);
                return true;
            case StatisticsMessage m:
                WriteStatistics(ref writer, m.Value);
                return true;
            case StatusMessage m:
                WriteStatus(ref writer, m.Value);
                return true;
            case ReplayCompleteMessage m:
                WriteReplayComplete(ref writer, m.RequestId, m.SymbolId, m.Replayed, m.ServerTimeNs);
                return true;
            default:
                return false;
        }
    }

    // Decoded messages hold arrays; any other list is copied once (relays and tests, not the hot path).
    private static ReadOnlySpan<T> AsSpan<T>(IReadOnlyList<T> list) => list as T[] ?? [.. list];
}
