namespace MarketStream.Protocol;

/// <summary>
/// Integer type code in element 0 of every message (docs/protocol.md §3). Client → server codes are
/// 1–15, server → client codes are 16–63; all fit a positive fixint, so the code costs one byte.
/// </summary>
public enum MessageType : byte
{
    /// <summary>Not a message; the default value.</summary>
    None = 0,

    /// <summary>C→S <c>[1, requestId, token]</c>.</summary>
    Authenticate = 1,

    /// <summary>C→S <c>[2, requestId, symbols, mode, maxRateMs, maxLagMs, resume]</c>.</summary>
    Subscribe = 2,

    /// <summary>C→S <c>[3, requestId, subscriptionId]</c>.</summary>
    Unsubscribe = 3,

    /// <summary>C→S <c>[4, requestId, symbol]</c>.</summary>
    SnapshotRequest = 4,

    /// <summary>C→S <c>[5, requestId, clientTimeNs]</c>.</summary>
    Ping = 5,

    /// <summary>C→S (publishers) <c>[6, requestId, ticks]</c>.</summary>
    IngestTicks = 6,

    /// <summary>S→C <c>[16, version, sessionId, serverTimeNs, authDeadlineMs, maxMessageBytes, maxSubscriptions, maxMessagesPerSecond, maxFrameBytes, heartbeatMs]</c>.</summary>
    Welcome = 16,

    /// <summary>S→C <c>[17, requestId, subject, expiresAtNs]</c>.</summary>
    Authenticated = 17,

    /// <summary>S→C <c>[18, requestId, mode, symbols]</c>.</summary>
    SubscribeAck = 18,

    /// <summary>S→C <c>[19, requestId, subscriptionId]</c>.</summary>
    UnsubscribeAck = 19,

    /// <summary>S→C <c>[20, requestId, definition, epoch, seq, quote, trade, exchangeTimeNs, serverTimeNs]</c>.</summary>
    Snapshot = 20,

    /// <summary>S→C <c>[21, symbolId, epoch, seq, kind, a, b, c, d, exchangeTimeNs, receiveTimeNs, serverTimeNs]</c>.</summary>
    Update = 21,

    /// <summary>S→C <c>[22, symbolId, epoch, firstSeq, lastSeq, count, quote, trade, exchangeTimeNs, receiveTimeNs, serverTimeNs]</c>.</summary>
    Merged = 22,

    /// <summary>S→C <c>[23, requestId, reason, definition, epoch, seq, quote, trade, exchangeTimeNs, serverTimeNs]</c>.</summary>
    Reset = 23,

    /// <summary>S→C <c>[24, [message, …]]</c>.</summary>
    Batch = 24,

    /// <summary>S→C <c>[25, serverTimeNs, queuedBytes, queuedUpdates, lagMs, mergedCount]</c>.</summary>
    Heartbeat = 25,

    /// <summary>S→C <c>[26, code, subscriptionId, value, text]</c>.</summary>
    Notice = 26,

    /// <summary>S→C <c>[27, requestId, clientTimeNs, serverTimeNs]</c>.</summary>
    Pong = 27,

    /// <summary>S→C <c>[28, requestId, code, text]</c>.</summary>
    Error = 28,

    /// <summary>S→C <c>[29, requestId, accepted]</c>.</summary>
    IngestAck = 29,

    /// <summary>S→C <c>[30, requestId, reason, symbolId, epoch, seq, depth, bids, asks, checksum, exchangeTimeNs, serverTimeNs]</c>.</summary>
    BookSnapshot = 30,

    /// <summary>S→C <c>[31, symbolId, epoch, seq, levels, checksum, exchangeTimeNs, serverTimeNs]</c>.</summary>
    BookChange = 31,

    /// <summary>S→C <c>[32, symbolId, epoch, firstSeq, lastSeq, count, levels, checksum, exchangeTimeNs, serverTimeNs]</c>.</summary>
    BookMerged = 32,

    /// <summary>S→C <c>[33, symbolId, epoch, seq, count, intervalSeconds, startTimeNs, open, high, low, close, volume, tradeCount, vwap, final]</c>.</summary>
    Bar = 33,

    /// <summary>S→C <c>[34, symbolId, epoch, seq, count, sessionDate, open, high, low, last, volume, vwap, tradeCount, previousClose, change, serverTimeNs]</c>.</summary>
    Statistics = 34,

    /// <summary>S→C <c>[35, symbolId, epoch, seq, count, status, haltReason, stale, sinceNs, serverTimeNs]</c>.</summary>
    Status = 35,

    /// <summary>S→C <c>[37, requestId, symbolId, replayed, serverTimeNs]</c>.</summary>
    ReplayComplete = 37,
}
