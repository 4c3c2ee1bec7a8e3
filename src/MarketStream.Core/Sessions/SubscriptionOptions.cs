using MarketStream.Model;

namespace MarketStream.Core.Sessions;

/// <summary>Per-subscription delivery settings, as a client requests them.</summary>
/// <param name="Mode">Conflated (default) or full.</param>
/// <param name="MaxRateMs">
/// At least this many milliseconds between two updates of the symbol; 0 (default) means no limit.
/// Trailing edge: updates inside the interval are merged and the latest is sent when it ends, so
/// the last value always arrives. A rate limit implies merging, so a full-mode subscription with a
/// rate limit is delivered conflated (<see cref="SessionOutbox.GetMode"/> reports the effective mode).
/// </param>
/// <param name="MaxLagMs">
/// Full mode only: once the oldest queued update of the subscription is older than this, the
/// queued range is merged into one update and a <see cref="OutboxNoticeKind.LagCatchUp"/> notice
/// follows; 0 (default) means no limit.
/// </param>
/// <param name="Overflow">Full mode only: what happens when the session's queue is full.</param>
public readonly record struct SubscriptionOptions(
    DeliveryMode Mode = DeliveryMode.Conflated,
    int MaxRateMs = 0,
    int MaxLagMs = 0,
    OverflowPolicy Overflow = OverflowPolicy.Degrade)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentException($"Unknown delivery mode {(int)Mode}.");
        }

        if (!Enum.IsDefined(Overflow))
        {
            throw new ArgumentException($"Unknown overflow policy {(int)Overflow}.");
        }

        if (MaxRateMs < 0 || MaxRateMs > SubscriptionLimits.MaxIntervalMs)
        {
            throw new ArgumentException($"MaxRateMs must be 0–{SubscriptionLimits.MaxIntervalMs}; got {MaxRateMs}.");
        }

        if (MaxLagMs < 0 || MaxLagMs > SubscriptionLimits.MaxIntervalMs)
        {
            throw new ArgumentException($"MaxLagMs must be 0–{SubscriptionLimits.MaxIntervalMs}; got {MaxLagMs}.");
        }
    }
}
