using MarketStream.Feeds.Validation;
using MarketStream.Protocol;

namespace MarketStream.Server.Ingest;

/// <summary>
/// How a refused tick is reported in docs/protocol.md terms: the §5 error code that fits its
/// <see cref="TickRejectReason"/> (the protocol has codes for unknown and invalid symbols, and
/// <c>InvalidField</c> for every value a tick may not carry), and a stable snake_case name used in
/// the Error text, metrics and <c>/api/ingest</c>.
/// </summary>
internal static class IngestRejections
{
    public static ErrorCode ToErrorCode(TickRejectReason reason) => reason switch
    {
        TickRejectReason.UnknownSymbol => ErrorCode.UnknownSymbol,
        TickRejectReason.OverlongSymbol => ErrorCode.InvalidSymbol,
        _ => ErrorCode.InvalidField,
    };

    public static string Name(TickRejectReason reason) => reason switch
    {
        TickRejectReason.UnknownSymbol => "unknown_symbol",
        TickRejectReason.BadKind => "bad_kind",
        TickRejectReason.NonPositivePrice => "non_positive_price",
        TickRejectReason.NegativeSize => "negative_size",
        TickRejectReason.CrossedQuote => "crossed_quote",
        TickRejectReason.OutOfOrder => "out_of_order",
        TickRejectReason.OverlongSymbol => "overlong_symbol",
        TickRejectReason.BadSide => "bad_side",
        _ => "none",
    };
}
