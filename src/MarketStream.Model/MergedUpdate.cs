namespace MarketStream.Model;

/// <summary>
/// Several consecutive updates of one symbol folded into one (conflation). Quote fields are
/// replaced by the latest quote; trade fields aggregate. <see cref="FirstSeq"/>..<see cref="LastSeq"/>
/// and <see cref="Count"/> let a client tell conflation from loss: <c>Count == LastSeq - FirstSeq + 1</c>
/// when nothing the session subscribed to was skipped.
/// </summary>
/// <remarks>
/// Fields are declared hottest first, and the layout is sequential (no references), on purpose:
/// this struct is the conflation slot every fan-out offer writes, and with many subscriptions each
/// offer is a cache miss per line. What every fold writes comes first, then the quote fields (a
/// quote offer stops there), then the trade aggregates, then what only the first fold of a merge
/// writes. Keep new fields in that order.
/// </remarks>
public struct MergedUpdate
{
    /// <summary>Sequence of the last merged update.</summary>
    public long LastSeq;

    /// <summary>Venue timestamp of the last merged update, Unix ns.</summary>
    public long ExchangeTimeNs;

    /// <summary>Feed receive timestamp of the last merged update, Unix ns.</summary>
    public long ReceiveTimeNs;

    /// <summary>Server timestamp of the last merged update, Unix ns.</summary>
    public long ServerTimeNs;

    /// <summary>How many updates were merged.</summary>
    public int Count;

    /// <summary>Number of trades merged (0 if none).</summary>
    public int TradeCount;

    /// <summary>True if any merged update was a quote.</summary>
    public bool HasQuote;

    /// <summary>Last merged trade aggressor side.</summary>
    public TradeSide LastSide;

    /// <summary>Latest bid price mantissa.</summary>
    public long BidPrice;

    /// <summary>Latest bid size mantissa.</summary>
    public long BidSize;

    /// <summary>Latest ask price mantissa.</summary>
    public long AskPrice;

    /// <summary>Latest ask size mantissa.</summary>
    public long AskSize;

    /// <summary>Last merged trade price mantissa.</summary>
    public long LastPrice;

    /// <summary>Last merged trade size mantissa.</summary>
    public long LastSize;

    /// <summary>Sum of merged trade sizes.</summary>
    public long Volume;

    /// <summary>Highest merged trade price mantissa.</summary>
    public long High;

    /// <summary>Lowest merged trade price mantissa.</summary>
    public long Low;

    /// <summary>Stream epoch of every merged update.</summary>
    public long Epoch;

    /// <summary>Sequence of the first merged update.</summary>
    public long FirstSeq;

    /// <summary>Interned symbol id.</summary>
    public int SymbolId;
}
