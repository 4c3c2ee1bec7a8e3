namespace MarketStream.Protocol;

/// <summary>
/// Appends for the channel messages (docs/protocol.md §4.21–§4.28), encoded straight into the frame when the
/// message's upper bound fits, else into a per-thread scratch buffer and copied if it fits after all.
/// </summary>
public sealed partial class BatchWriter
{
    [ThreadStatic]
    private static byte[]? t_encodeScratch;

    /// <summary>Appends a BookSnapshot (§4.21).</summary>
    /// <returns>False, and nothing written, if it does not fit.</returns>
    public bool TryAppendBookSnapshot(
        long requestId, ResetReason reason, int symbolId, long epoch, long seq, int depth,
        ReadOnlySpan<BookLevel> bids, ReadOnlySpan<BookLevel> asks, uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        var target = Target(BookMessageEncoder.MaxSnapshotBytes(bids.Length, asks.Length), out var direct);
        var n = BookMessageEncoder.EncodeSnapshot(target, requestId, reason, symbolId, epoch, seq, depth, bids, asks, checksum, exchangeTimeNs, serverTimeNs);
        return Commit(direct, target, n);
    }

    /// <summary>Appends a BookChange (§4.22).</summary>
    /// <returns>False, and nothing written, if it does not fit.</returns>
    public bool TryAppendBookChange(
        int symbolId, long epoch, long seq, ReadOnlySpan<BookLevelChange> levels, uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        var target = Target(BookMessageEncoder.MaxChangeBytes(levels.Length), out var direct);
        var n = BookMessageEncoder.EncodeChange(target, symbolId, epoch, seq, levels, checksum, exchangeTimeNs, serverTimeNs);
        return Commit(direct, target, n);
    }

    /// <summary>Appends a BookMerged (§4.23).</summary>
    /// <returns>False, and nothing written, if it does not fit.</returns>
    public bool TryAppendBookMerged(
        int symbolId, long epoch, long firstSeq, long lastSeq, int count, ReadOnlySpan<BookLevelChange> levels,
        uint checksum, long exchangeTimeNs, long serverTimeNs)
    {
        var target = Target(BookMessageEncoder.MaxMergedBytes(levels.Length), out var direct);
        var n = BookMessageEncoder.EncodeMerged(target, symbolId, epoch, firstSeq, lastSeq, count, levels, checksum, exchangeTimeNs, serverTimeNs);
        return Commit(direct, target, n);
    }

    /// <summary>Appends a Bar (§4.25).</summary>
    /// <returns>False, and nothing written, if it does not fit.</returns>
    public bool TryAppendBar(in Bar bar)
    {
        var target = Target(ChannelMessageEncoder.MaxBarBytes, out var direct);
        return Commit(direct, target, ChannelMessageEncoder.EncodeBar(bar, target));
    }

    /// <summary>Appends a Statistics message (§4.26).</summary>
    /// <returns>False, and nothing written, if it does not fit.</returns>
    public bool TryAppendStatistics(in SessionStatistics statistics)
    {
        var target = Target(ChannelMessageEncoder.MaxStatisticsBytes, out var direct);
        return Commit(direct, target, ChannelMessageEncoder.EncodeStatistics(statistics, target));
    }

    /// <summary>Appends a Status message (§4.27).</summary>
    /// <returns>False, and nothing written, if it does not fit.</returns>
    public bool TryAppendStatus(in SymbolStatus status)
    {
        var target = Target(ChannelMessageEncoder.MaxStatusBytes, out var direct);
        return Commit(direct, target, ChannelMessageEncoder.EncodeStatus(status, target));
    }

    /// <summary>Appends a ReplayComplete (§4.28).</summary>
    /// <returns>False, and nothing written, if it does not fit.</returns>
    public bool TryAppendReplayComplete(long requestId, int symbolId, long replayed, long serverTimeNs)
    {
        var target = Target(ChannelMessageEncoder.MaxReplayCompleteBytes, out var direct);
        return Commit(direct, target, ChannelMessageEncoder.EncodeReplayComplete(requestId, symbolId, replayed, serverTimeNs, target));
    }

    /// <summary>The frame's free space if <paramref name="bound"/> fits there, else scratch space of that size.</summary>
    private Span<byte> Target(int bound, out bool direct)
    {
        var remaining = _capacity - _position;
        direct = remaining >= bound;
        if (direct)
        {
            return new Span<byte>(_buffer, _position, remaining);
        }

        var scratch = t_encodeScratch;
        if (scratch is null || scratch.Length < bound)
        {
            t_encodeScratch = scratch = new byte[Math.Max(bound, 1024)];
        }

        return scratch.AsSpan(0, bound);
    }

    private bool Commit(bool direct, Span<byte> target, int written)
    {
        if (!direct)
        {
            return TryAppendEncoded(target[..written]);
        }

        _position += written;
        _count++;
        return true;
    }
}
