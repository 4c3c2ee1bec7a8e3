using MarketStream.Core.Market;
using MarketStream.Core.Ring;
using MarketStream.Core.Sessions;

namespace MarketStream.Core.Engine;

/// <summary>
/// Second engine stage, strictly behind the sequencer: hands each sequenced update to every
/// subscription of its symbol. Reads the copy-on-write subscriber array without a lock and never
/// waits on a client: an offer is a short critical section in the session's outbox and at most
/// one wake-up of its writer loop.
/// </summary>
internal sealed class FanOutStage : IEventHandler<Tick>
{
    // How many subscriptions ahead of the current offer are hinted into the cache: enough misses
    // in flight to cover memory latency, few enough that the lines are still there when used.
    private const int PrefetchWindow = 8;

    private readonly SubscriberTable _subscribers;
    private readonly SequencerStage _sequencer;
    private long _offers;

    public FanOutStage(SubscriberTable subscribers, SequencerStage sequencer)
    {
        _subscribers = subscribers;
        _sequencer = sequencer;
    }

    /// <summary>Offers made so far (any thread; for metrics).</summary>
    public long Offers => Volatile.Read(ref _offers);

    public void OnEvent(ref Tick data, long sequence, bool endOfBatch)
    {
        if (data.Kind == TickKind.None)
        {
            return;
        }

        var subscriptions = _subscribers.Get(data.SymbolId);
        if (subscriptions is null)
        {
            return;
        }

        // For queued-byte figures only; an estimate avoids touching the symbol's history here.
        var length = _sequencer.TypicalLength;

        // Each offer reads and writes most of its subscription (a conflation slot of ~5 cache
        // lines); with thousands of subscriptions those lines are cold, and the outbox gate's
        // locked instruction stops a miss from overlapping the next offer. Hinting the first
        // subscriptions up front, and then one window ahead, lets their misses overlap.
        var count = subscriptions.Length;
        for (var i = 0; i < count && i < PrefetchWindow; i++)
        {
            CachePrefetch.Object(subscriptions[i], Subscription.HotBytes);
        }

        for (var i = 0; i < count; i++)
        {
            if (i + PrefetchWindow < count)
            {
                CachePrefetch.Object(subscriptions[i + PrefetchWindow], Subscription.HotBytes);
            }

            var subscription = subscriptions[i];
            subscription.Outbox.Offer(subscription, ref data, length);
        }

        Volatile.Write(ref _offers, _offers + subscriptions.Length);
    }
}
