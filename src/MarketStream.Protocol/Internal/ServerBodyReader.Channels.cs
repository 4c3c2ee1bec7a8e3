using MarketStream.Model;

namespace MarketStream.Protocol.Internal;

/// <summary>The channel messages (docs/protocol.md §4.21–§4.28) and SubscribeAck's effective channel list.</summary>
internal static partial class ServerBodyReader
{
    private static int ChannelElementCount(MessageType type) => type switch
    {
        MessageType.BookSnapshot => 12,
        MessageType.BookChange => 8,
        MessageType.BookMerged => 10,
        MessageType.Bar => 15,
        MessageType.Statistics => 16,
        MessageType.Status => 10,
        MessageType.ReplayComplete => 5,
        _ => -1,
    };

    private static bool TryReadChannelBody(ref SpanFieldReader r, MessageType type, out ServerMessage message)
    {
        message = default;
        ServerMessageBody? body = type switch
        {
            MessageType.BookSnapshot => ReadBookSnapshot(ref r),
            MessageType.BookChange => ReadBookChange(ref r),
            MessageType.BookMerged => ReadBookMerged(ref r),
            MessageType.Bar => ReadBar(ref r),
            MessageType.Statistics => ReadStatistics(ref r),
            MessageType.Status => ReadStatus(ref r),
            MessageType.ReplayComplete => ReadReplayComplete(ref r),
            _ => null,
        };
        if (body is null)
        {
            return false;
        }

        message = new ServerMessage(body);
        return true;
    }

    private static BookSnapshotMessage? ReadBookSnapshot(ref SpanFieldReader r)
    {
        if (r.TryReadInt64(out var requestId)
            && r.TryReadInt32(0, byte.MaxValue, out var reason)
            && r.TryReadInt32(int.MinValue, int.MaxValue, out var symbolId)
            && r.TryReadInt64(out var epoch)
            && r.TryReadInt64(out var seq)
            && r.TryReadInt32(0, int.MaxValue, out var depth)
            && TryReadLevels(ref r, out var bids)
            && TryReadLevels(ref r, out var asks)
            && r.TryReadInt64(0, uint.MaxValue, out var checksum)
            && r.TryReadInt64(out var exchangeTime)
            && r.TryReadInt64(out var serverTime))
        {
            return new BookSnapshotMessage(requestId, (ResetReason)reason, symbolId, epoch, seq, depth, bids, asks, (uint)checksum, exchangeTime, serverTime);
        }

        return null;
    }

    private static BookChangeMessage? ReadBookChange(ref SpanFieldReader r)
    {
        if (r.TryReadInt32(int.MinValue, int.MaxValue, out var symbolId)
            && r.TryReadInt64(out var epoch)
            && r.TryReadInt64(out var seq)
            && TryReadChanges(ref r, out var levels)
            && r.TryReadInt64(0, uint.MaxValue, out var checksum)
            && r.TryReadInt64(out var exchangeTime)
            && r.TryReadInt64(out var serverTime))
        {
            return new BookChangeMessage(symbolId, epoch, seq, levels, (uint)checksum, exchangeTime, serverTime);
        }

        return null;
    }

    private static BookMergedMessage? ReadBookMerged(ref SpanFieldReader r)
    {
        if (r.TryReadInt32(int.MinValue, int.MaxValue, out var symbolId)
            && r.TryReadInt64(out var epoch)
            && r.TryReadInt64(out var firstSeq)
            && r.TryReadInt64(out var lastSeq)
            && r.TryReadInt32(0, int.MaxValue, out var count)
            && TryReadChanges(ref r, out var levels)
            && r.TryReadInt64(0, uint.MaxValue, out var checksum)
            && r.TryReadInt64(out var exchangeTime)
            && r.TryReadInt64(out var serverTime))
        {
            return new BookMergedMessage(symbolId, epoch, firstSeq, lastSeq, count, levels, (uint)checksum, exchangeTime, serverTime);
        }

        return null;
    }

    /// <summary><c>[[price, size, orders], …]</c>; a level may carry more elements from a newer server (§3).</summary>
    private static bool TryReadLevels(ref SpanFieldReader r, out BookLevel[] levels)
    {
        levels = [];
        if (!r.TryReadArrayHeader(out var n))
        {
            return false;
        }

        var result = n == 0 ? [] : new BookLevel[n];
        for (var i = 0; i < n; i++)
        {
            if (!r.TryReadArrayHeader(out var fields) || fields < 3
                || !r.TryReadInt64(out var price)
                || !r.TryReadInt64(out var size)
                || !r.TryReadInt32(0, int.MaxValue, out var orders)
                || (fields > 3 && !r.TrySkip(fields - 3)))
            {
                return false;
            }

            result[i] = new BookLevel(price, size, orders);
        }

        levels = result;
        return true;
    }

    /// <summary><c>[[side, price, size, orders], …]</c>.</summary>
    private static bool TryReadChanges(ref SpanFieldReader r, out BookLevelChange[] levels)
    {
        levels = [];
        if (!r.TryReadArrayHeader(out var n))
        {
            return false;
        }

        var result = n == 0 ? [] : new BookLevelChange[n];
        for (var i = 0; i < n; i++)
        {
            if (!r.TryReadArrayHeader(out var fields) || fields < 4
                || !r.TryReadInt32((int)BookSide.Bid, (int)BookSide.Ask, out var side)
                || !r.TryReadInt64(out var price)
                || !r.TryReadInt64(out var size)
                || !r.TryReadInt32(0, int.MaxValue, out var orders)
                || (fields > 4 && !r.TrySkip(fields - 4)))
            {
                return false;
            }

            result[i] = new BookLevelChange((BookSide)side, price, size, orders);
        }

        levels = result;
        return true;
    }

    private static BarMessage? ReadBar(ref SpanFieldReader r)
    {
        var b = default(Bar);
        if (r.TryReadInt32(int.MinValue, int.MaxValue, out b.SymbolId)
            && r.TryReadInt64(out b.Epoch)
            && r.TryReadInt64(out b.Seq)
            && r.TryReadInt32(0, int.MaxValue, out b.Count)
            && r.TryReadInt32(1, int.MaxValue, out b.IntervalSeconds)
            && r.TryReadInt64(out b.StartTimeNs)
            && r.TryReadInt64(out b.Open)
            && r.TryReadInt64(out b.High)
            && r.TryReadInt64(out b.Low)
            && r.TryReadInt64(out b.Close)
            && r.TryReadInt64(out b.Volume)
            && r.TryReadInt64(out b.TradeCount)
            && r.TryReadInt64(out b.Vwap)
            && r.TryReadInt32(0, 1, out var final))
        {
            b.Final = final == 1;
            return new BarMessage(b);
        }

        return null;
    }

    private static StatisticsMessage? ReadStatistics(ref SpanFieldReader r)
    {
        var s = default(SessionStatistics);
        if (r.TryReadInt32(int.MinValue, int.MaxValue, out s.SymbolId)
            && r.TryReadInt64(out s.Epoch)
            && r.TryReadInt64(out s.Seq)
            && r.TryReadInt32(0, int.MaxValue, out s.Count)
            && r.TryReadInt32(0, 99_991_231, out s.SessionDate)
            && r.TryReadInt64(out s.Open)
            && r.TryReadInt64(out s.High)
            && r.TryReadInt64(out s.Low)
            && r.TryReadInt64(out s.Last)
            && r.TryReadInt64(out s.Volume)
            && r.TryReadInt64(out s.Vwap)
            && r.TryReadInt64(out s.TradeCount)
            && r.TryReadInt64(out s.PreviousClose)
            && r.TryReadInt64(out s.Change)
            && r.TryReadInt64(out s.ServerTimeNs))
        {
            return new StatisticsMessage(s);
        }

        return null;
    }

    /// <summary>Status codes unknown to this version are kept as numbers (§3).</summary>
    private static StatusMessage? ReadStatus(ref SpanFieldReader r)
    {
        var s = default(SymbolStatus);
        if (r.TryReadInt32(int.MinValue, int.MaxValue, out s.SymbolId)
            && r.TryReadInt64(out s.Epoch)
            && r.TryReadInt64(out s.Seq)
            && r.TryReadInt32(0, int.MaxValue, out s.Count)
            && r.TryReadInt32(0, byte.MaxValue, out var status)
            && r.TryReadInt32(0, byte.MaxValue, out var reason)
            && r.TryReadInt32(0, byte.MaxValue, out var stale)
            && r.TryReadInt64(out s.SinceNs)
            && r.TryReadInt64(out s.ServerTimeNs))
        {
            s.Status = (TradingStatus)status;
            s.HaltReason = (HaltReason)reason;
            s.Stale = (Staleness)stale;
            return new StatusMessage(s);
        }

        return null;
    }

    private static ReplayCompleteMessage? ReadReplayComplete(ref SpanFieldReader r)
    {
        if (r.TryReadInt64(out var requestId)
            && r.TryReadInt32(int.MinValue, int.MaxValue, out var symbolId)
            && r.TryReadInt64(0, long.MaxValue, out var replayed)
            && r.TryReadInt64(out var serverTime))
        {
            return new ReplayCompleteMessage(requestId, symbolId, replayed, serverTime);
        }

        return null;
    }

    /// <summary>SubscribeAck's 5th element: the effective channel entries (§4.11); unknown channels are kept by code.</summary>
    private static bool TryReadAckChannels(ref SpanFieldReader r, out ChannelRequest[] channels)
    {
        channels = [];
        if (!r.TryReadArrayHeader(out var n))
        {
            return false;
        }

        var result = n == 0 ? [] : new ChannelRequest[n];
        for (var i = 0; i < n; i++)
        {
            if (!r.TryReadArrayHeader(out var fields) || fields < 1 || !r.TryReadInt32(0, byte.MaxValue, out var code))
            {
                return false;
            }

            var channel = (ChannelKind)code;
            var known = ChannelLimits.EntryLength(channel);
            int a = 0, b = 0;
            if (known >= 2 && (fields < known || !r.TryReadInt32(0, int.MaxValue, out a)))
            {
                return false;
            }

            if (known >= 3 && !r.TryReadInt32(0, int.MaxValue, out b))
            {
                return false;
            }

            var used = known == 0 ? 1 : known;
            if (fields > used && !r.TrySkip(fields - used))
            {
                return false;
            }

            result[i] = channel switch
            {
                ChannelKind.Trades => ChannelRequest.Trades(a),
                ChannelKind.Book => ChannelRequest.Book(a),
                ChannelKind.Bars => ChannelRequest.Bars(a, b),
                _ => new ChannelRequest(channel),
            };
        }

        channels = result;
        return true;
    }
}
