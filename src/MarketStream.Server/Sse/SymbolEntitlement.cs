using MarketStream.Core.Symbols;

namespace MarketStream.Server.Sse;

/// <summary>
/// Whether a grant's patterns entitle a requested name or pattern (docs/protocol.md §5, 2003): a
/// request is allowed only when one granted pattern covers <b>everything</b> it could ever match —
/// <c>EUR*</c> is covered by <c>*</c> or <c>E*</c>, not by <c>EURUSD</c> — so a pattern can never
/// widen an entitlement, including to symbols added later.
/// </summary>
internal static class SymbolEntitlement
{
    public static bool Covers(IReadOnlyList<string> granted, in SymbolPattern requested)
    {
        foreach (var text in granted)
        {
            if (!SymbolPattern.TryParse(text, out var grant, out _))
            {
                continue;
            }

            var covered = grant.Covers(requested);
            if (covered)
            {
                return true;
            }
        }

        return false;
    }
}
