namespace MarketStream.Protocol;

/// <summary>
/// One OHLCV bar of one interval, as the Bar message carries it (docs/protocol.md §4.25). Prices are
/// mantissas with the symbol's price scale, volume with its size scale.
/// </summary>
public struct Bar
{
    /// <summary>Symbol id on this connection.</summary>
    public int SymbolId;

    /// <summary>Epoch of the bars stream.</summary>
    public long Epoch;

    /// <summary>Sequence of the last update of this interval's bars stream the value includes.</summary>
    public long Seq;

    /// <summary>Stream updates this message stands for (seq − count + 1 … seq); 0 = a value from state or history, not part of the gap check.</summary>
    public int Count;

    /// <summary>Bar interval in seconds.</summary>
    public int IntervalSeconds;

    /// <summary>Start of the bar (inclusive), Unix ns; the bar covers [start, start + interval).</summary>
    public long StartTimeNs;

    /// <summary>First price.</summary>
    public long Open;

    /// <summary>Highest price.</summary>
    public long High;

    /// <summary>Lowest price.</summary>
    public long Low;

    /// <summary>Last price.</summary>
    public long Close;

    /// <summary>Sum of trade sizes (0 for bars built from quotes).</summary>
    public long Volume;

    /// <summary>Trades in the bar (or quotes, for bars built from quotes).</summary>
    public long TradeCount;

    /// <summary>Volume-weighted average price, rounded half away from zero to the price scale; 0 when volume is 0.</summary>
    public long Vwap;

    /// <summary>True once the bar is closed: its values never change again.</summary>
    public bool Final;
}
