namespace MarketStream.Feeds.Validation;

/// <summary>
/// The stable snake_case name of each <see cref="TickRejectReason"/>, used as the <c>reason</c>
/// label of the rejection metrics and as the key in <c>/api/feeds</c> and <c>/api/ingest</c>.
/// </summary>
public static class TickRejectNames
{
    /// <summary>The name of <paramref name="reason"/>; <c>none</c> for values without one.</summary>
    public static string Name(TickRejectReason reason) => reason switch
    {
        TickRejectReason.UnknownSymbol => "unknown_symbol",
        TickRejectReason.BadKind => "bad_kind",
        TickRejectReason.NonPositivePrice => "non_positive_price",
        TickRejectReason.NegativeSize => "negative_size",
        TickRejectReason.CrossedQuote => "crossed_quote",
        TickRejectReason.OutOfOrder => "out_of_order",
        TickRejectReason.InvalidSymbol => "invalid_symbol",
        TickRejectReason.BadSide => "bad_side",
        TickRejectReason.MalformedTick => "malformed_tick",
        TickRejectReason.RateLimited => "rate_limited",
        TickRejectReason.NotPermitted => "not_permitted",
        _ => "none",
    };
}
