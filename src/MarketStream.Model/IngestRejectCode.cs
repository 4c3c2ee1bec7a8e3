namespace MarketStream.Model;

/// <summary>
/// Why the server refused one tick of an IngestTicks message, reported per tick in IngestAck
/// (docs/protocol.md §4.20, codes in §5.1). Stable: a code never changes meaning; new codes are
/// appended, and a publisher must keep an unknown code as a number. The feed validator
/// returns these codes too, so a rejection has one number from the validator to the wire and the
/// metrics.
/// </summary>
public enum IngestRejectCode : byte
{
    /// <summary>Accepted (never sent).</summary>
    None = 0,

    /// <summary>The symbol is not in the server's universe.</summary>
    UnknownSymbol = 1,

    /// <summary>The kind is neither 1 (quote) nor 2 (trade).</summary>
    BadKind = 2,

    /// <summary>A price (bid, ask or trade) is zero or negative.</summary>
    NonPositivePrice = 3,

    /// <summary>A size is negative, or a trade's size is zero.</summary>
    NegativeSize = 4,

    /// <summary>A quote's bid is above its ask (or equal, when the server refuses locked quotes).</summary>
    CrossedQuote = 5,

    /// <summary>The exchange time is earlier than the symbol's previous accepted one on this connection.</summary>
    OutOfOrder = 6,

    /// <summary>The symbol is not a valid name: empty, longer than 32 characters or outside the charset (§2.1).</summary>
    InvalidSymbol = 7,

    /// <summary>A trade's side is not 0, 1 or 2.</summary>
    BadSide = 8,

    /// <summary>The tick entry is not <c>[symbol, kind, exchangeTimeNs, a, b, c, d]</c> with a string and integers (conditions 0–65535).</summary>
    MalformedTick = 9,

    /// <summary>The connection's tick budget (<c>maxTicksPerSecond</c>) was spent; the tick may be sent again later.</summary>
    RateLimited = 10,

    /// <summary>The publisher may not publish (wrong role, anonymous, expired token): counted only, the message is refused with an Error.</summary>
    NotPermitted = 11,
}
