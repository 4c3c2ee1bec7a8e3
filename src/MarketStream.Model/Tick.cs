namespace MarketStream.Model;

/// <summary>
/// One market event as it travels the tick ring. A mutable struct on purpose: ring slots are
/// preallocated and written in place, so a tick never allocates. Prices and sizes are fixed-point
/// mantissas: the real value is <c>mantissa / 10^scale</c> with the symbol's
/// <see cref="SymbolInfo.PriceScale"/> / <see cref="SymbolInfo.SizeScale"/> — never a binary float.
/// </summary>
public struct Tick
{
    /// <summary>Interned id from the symbol registry.</summary>
    public int SymbolId;

    /// <summary>Quote or trade; decides which price fields are meaningful.</summary>
    public TickKind Kind;

    /// <summary>Trade aggressor side (trades only).</summary>
    public TradeSide Side;

    /// <summary>Venue-specific trade condition flags (trades only); 0 when none.</summary>
    public ushort Conditions;

    /// <summary>Best bid price mantissa (quotes only).</summary>
    public long BidPrice;

    /// <summary>Best bid size mantissa (quotes only).</summary>
    public long BidSize;

    /// <summary>Best ask price mantissa (quotes only).</summary>
    public long AskPrice;

    /// <summary>Best ask size mantissa (quotes only).</summary>
    public long AskSize;

    /// <summary>Trade price mantissa (trades only).</summary>
    public long Price;

    /// <summary>Trade size mantissa (trades only).</summary>
    public long Size;

    /// <summary>Venue timestamp, Unix nanoseconds; 0 when the venue gives none.</summary>
    public long ExchangeTimeNs;

    /// <summary>Unix nanoseconds when a feed handler accepted the tick; tick-to-client latency starts here.</summary>
    public long ReceiveTimeNs;

    /// <summary>
    /// Stream epoch. Zero on input means "assign locally"; the sequencer stage writes the
    /// symbol's current epoch. Non-zero on input (cluster mode) passes through unchanged.
    /// </summary>
    public long Epoch;

    /// <summary>
    /// Per-symbol sequence, +1 per update within an epoch. Zero on input means "assign locally";
    /// non-zero (upstream-assigned) passes through unchanged.
    /// </summary>
    public long Seq;

    /// <summary>Unix nanoseconds when the sequencer stage stamped the tick.</summary>
    public long ServerTimeNs;
}
