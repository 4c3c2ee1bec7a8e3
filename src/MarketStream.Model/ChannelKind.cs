namespace MarketStream.Model;

/// <summary>
/// What a subscription takes of a symbol (docs/protocol.md §2.5). Quotes and trades share one sequence
/// (the L1 stream, v1's <c>seq</c>); every other channel — each bar interval on its own — has its own.
/// </summary>
public enum ChannelKind : byte
{
    /// <summary>Not a channel; the default value.</summary>
    None = 0,

    /// <summary>Best bid/offer: Update kind 1, the quote group of Merged.</summary>
    Quotes = 1,

    /// <summary>Trades: Update kind 2, the trade group of Merged; optionally the last N trades on subscribe.</summary>
    Trades = 2,

    /// <summary>Market-by-price book of a requested depth: BookSnapshot, BookChange, BookMerged.</summary>
    Book = 3,

    /// <summary>OHLCV bars of one interval, optionally with the last N closed bars on subscribe.</summary>
    Bars = 4,

    /// <summary>Session statistics: open, high, low, last, volume, VWAP, previous close, change.</summary>
    Statistics = 5,

    /// <summary>Trading status (pre-open, open, halted, closed) and the stale flag.</summary>
    Status = 6,
}
