namespace MarketStream.Feeds.Validation;

/// <summary>
/// Why a tick was refused. The numeric values are stable: they are counted, logged and (for the
/// ingest endpoint) sent back to publishers as rejection codes — the values equal
/// <c>MarketStream.Protocol.IngestRejectCode</c> (docs/protocol.md §5.1). Never renumber; only append.
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

    /// <summary>The symbol name is not valid: longer than <see cref="Core.Market.SymbolInfo.MaxNameLength"/> or outside the charset (ingest).</summary>
    InvalidSymbol = 7,

    /// <summary>A trade's aggressor side is not one of the defined values.</summary>
    BadSide = 8,

    /// <summary>An ingest tick entry that is not <c>[symbol, kind, exchangeTimeNs, a, b, c, d]</c> with the right types.</summary>
    MalformedTick = 9,

    /// <summary>An ingest connection spent its tick budget (<c>Ingest:MaxTicksPerSecond</c>).</summary>
    RateLimited = 10,

    /// <summary>Ticks of an ingest message refused whole because the publisher may not publish (role, expiry).</summary>
    NotPermitted = 11,
}
