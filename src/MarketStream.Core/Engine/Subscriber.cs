using MarketStream.Core.Sessions;

namespace MarketStream.Core.Engine;

/// <summary>
/// One entry of a symbol's subscriber array: the subscription and its outbox's deferred-wake mark
/// side by side, so marking an outbox for waking needs no load through the subscription.
/// </summary>
internal readonly struct Subscriber(Subscription subscription)
{
    public Subscription Subscription { get; } = subscription;

    public DeferredWake Wake { get; } = subscription.Outbox.DeferredWake;
}
