namespace MarketStream.Feeds.Validation;

/// <summary>
/// Why a tick was refused. The numeric values are stable: they are counted, logged and (for the
/// ingest endpoint) sent back to publishers as rejection codes. Never renumber; only append.
/// </summary>
public enum TickRejectReason : byte
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>The symbol is not in the universe.</summary>
    UnknownSymbol = 1,

    /// <summary>The kind is neither quote nor trade.</summary>
    BadKind = 2,

    /// <summary>A price (bid, ask or trade) is zero or negative.</summary>
    NonPositivePrice = 3,

    /// <summary>A size is negative, or a trade's size is zero.</summary>
    NegativeSize = 4,

    /// <summary>A quote's bid is above its ask (or equal to it when locked quotes are refused).</summary>
    CrossedQuote = 5,

    /// <summary>The exchange timestamp is earlier than the symbol's previous one (when ordering is enforced).</summary>
    OutOfOrder = 6,

    /// <summary>The symbol name is longer than <see cref="Core.Market.SymbolInfo.MaxNameLength"/>.</summary>
    OverlongSymbol = 7,

    /// <summary>A trade's aggressor side is not one of the defined values.</summary>
    BadSide = 8,
}
