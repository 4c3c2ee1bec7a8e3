namespace MarketStream.Model;

/// <summary>
/// Ranges of a subscription's timing fields, shared by the wire decoder (Subscribe, docs/protocol.md §4.2),
/// the SSE query and the session outbox, so the three accept exactly the same values.
/// </summary>
public static class SubscriptionLimits
{
    /// <summary>Largest <c>maxRateMs</c> and <c>maxLagMs</c> accepted: one day (86,400,000 ms). Both start at 0 (off).</summary>
    public const int MaxIntervalMs = 86_400_000;
}
