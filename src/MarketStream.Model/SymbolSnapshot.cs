namespace MarketStream.Model;

/// <summary>
/// Last-value-cache state of one symbol at <see cref="Seq"/>: what a new subscriber receives
/// before any update, and what a reset carries. Fixed-point mantissas as in <see cref="Tick"/>.
/// </summary>
public struct SymbolSnapshot
{
    /// <summary>Interned symbol id.</summary>
    public int SymbolId;

    /// <summary>Stream epoch the snapshot belongs to.</summary>
    public long Epoch;

    /// <summary>Sequence of the last update folded into this snapshot; 0 if none yet.</summary>
    public long Seq;

    /// <summary>True once any quote was seen.</summary>
    public bool HasQuote;

    /// <summary>Latest bid price mantissa.</summary>
    public long BidPrice;

    /// <summary>Latest bid size mantissa.</summary>
    public long BidSize;

    /// <summary>Latest ask price mantissa.</summary>
    public long AskPrice;

    /// <summary>Latest ask size mantissa.</summary>
    public long AskSize;

    /// <summary>True once any trade was seen this session.</summary>
    public bool HasTrade;

    /// <summary>Last trade price mantissa.</summary>
    public long LastPrice;

    /// <summary>Last trade size mantissa.</summary>
    public long LastSize;

    /// <summary>Last trade aggressor side.</summary>
    public TradeSide LastSide;

    /// <summary>Session open (first trade price) mantissa.</summary>
    public long Open;

    /// <summary>Session high trade price mantissa.</summary>
    public long High;

    /// <summary>Session low trade price mantissa.</summary>
    public long Low;

    /// <summary>Session volume (sum of trade sizes) mantissa.</summary>
    public long Volume;

    /// <summary>Number of trades this session.</summary>
    public long TradeCount;

    /// <summary>Venue timestamp of the last update, Unix ns.</summary>
    public long ExchangeTimeNs;

    /// <summary>Server timestamp of the last update, Unix ns.</summary>
    public long ServerTimeNs;
}
