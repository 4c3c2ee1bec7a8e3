using MarketStream.Core.Sessions;

namespace MarketStream.Core.Engine;

/// <summary>
/// One entry of a symbol's subscriber array: the subscription and its outbox's staging chain side
/// by side, so fan-out can stage an offer from the array alone without loading the subscription
/// object (its lines are only needed when the offer is applied, and are prefetched then).
/// </summary>
internal readonly struct Subscriber(Subscription subscription)
{
    public Subscription Subscription { get; } = subscription;

    public OfferChain Chain { get; } = subscription.Chain;
}
