using MarketStream.Model;
namespace MarketStream.Feeds.Validation;

/// <summary>
/// The stable snake_case name of each <see cref="IngestRejectCode"/>, used as the <c>reason</c>
/// label of the rejection metrics and as the key in <c>/api/feeds</c> and <c>/api/ingest</c>.
/// </summary>
public static class TickRejectNames
{
    /// <summary>The name of <paramref name="reason"/>; <c>none</c> for values without one.</summary>
    public static string Name(IngestRejectCode reason) => reason switch
    {
        IngestRejectCode.UnknownSymbol => "unknown_symbol",
        IngestRejectCode.BadKind => "bad_kind",
        IngestRejectCode.NonPositivePrice => "non_positive_price",
        IngestRejectCode.NegativeSize => "negative_size",
        IngestRejectCode.CrossedQuote => "crossed_quote",
        IngestRejectCode.OutOfOrder => "out_of_order",
        IngestRejectCode.InvalidSymbol => "invalid_symbol",
        IngestRejectCode.BadSide => "bad_side",
        IngestRejectCode.MalformedTick => "malformed_tick",
        IngestRejectCode.RateLimited => "rate_limited",
        IngestRejectCode.NotPermitted => "not_permitted",
        _ => "none",
    };
}
