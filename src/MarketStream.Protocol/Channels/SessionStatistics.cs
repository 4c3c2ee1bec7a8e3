namespace MarketStream.Protocol;

/// <summary>
/// One symbol's statistics for its current trading session, as the Statistics message carries them
/// (docs/protocol.md §4.26). Prices are mantissas with the symbol's price scale; 0 = not yet known.
/// </summary>
public struct SessionStatistics
{
    /// <summary>Symbol id on this connection.</summary>
    public int SymbolId;

    /// <summary>Epoch of the statistics stream.</summary>
    public long Epoch;

    /// <summary>Sequence of the last statistics update included.</summary>
    public long Seq;

    /// <summary>Stream updates this message stands for; 0 = a value from state (§2.5).</summary>
    public int Count;

    /// <summary>Trading date of the session as yyyymmdd (e.g. 20260101) in the session's time zone.</summary>
    public int SessionDate;

    /// <summary>First trade price of the session.</summary>
    public long Open;

    /// <summary>Highest trade price of the session.</summary>
    public long High;

    /// <summary>Lowest trade price of the session.</summary>
    public long Low;

    /// <summary>Last trade price.</summary>
    public long Last;

    /// <summary>Sum of trade sizes in the session.</summary>
    public long Volume;

    /// <summary>Session VWAP, rounded half away from zero to the price scale.</summary>
    public long Vwap;

    /// <summary>Trades in the session.</summary>
    public long TradeCount;

    /// <summary>Close of the previous session; 0 = unknown.</summary>
    public long PreviousClose;

    /// <summary>Last − previous close (0 while either is unknown).</summary>
    public long Change;

    /// <summary>Server time of the last statistics update, Unix ns.</summary>
    public long ServerTimeNs;
}
