using MarketStream.Core.Market;
using MarketStream.Core.Ring;
using MarketStream.Core.Sessions;

namespace MarketStream.Core.Engine;

/// <summary>
/// Second engine stage, strictly behind the sequencer: hands each sequenced update to every
/// subscription of its symbol. Reads the copy-on-write subscriber array without a lock and never
/// waits on a client.
/// </summary>
/// <remarks>
/// Offers are staged, not applied one by one: each tick with subscribers is copied into a small
/// staging array and each of its offers is chained to its outbox's <see cref="OfferChain"/>. At the
/// end of the ring batch (or when the staging arrays fill, every <see cref="TickCapacity"/> ticks
/// at most) every touched outbox applies its chain under one gate hold and wakes its writer once.
/// Why: applying an offer takes the outbox gate, a locked instruction that also drains the store
/// buffer, so each offer waited for the previous offer's cache-missing conflation-slot stores; with
/// ~13–50 offers per gate hold those misses overlap and the locked instructions are amortised.
/// The order of offers per outbox (hence per subscription) is unchanged; an offer only becomes
/// visible to the drain later, by at most one flush window, which keeps the snapshot/stream
/// argument of <see cref="SessionOutbox.Subscribe"/> intact: the sequencer wrote the update into
/// the LVC before fan-out staged it, so a subscription that is not live when the offer is applied
/// gets a snapshot that already contains it.
/// </remarks>
internal sealed class FanOutStage : IEventHandler<Tick>
{
    /// <summary>Most ticks staged before a flush: bounds how long an offer waits (and the array, 24 KiB: L1-sized).</summary>
    public const int TickCapacity = 256;

    /// <summary>Most offers staged before a flush: bounds the subscriptions in flight (their lines must still be cached at the flush).</summary>
    public const int OfferCapacity = 4096;

    /// <summary>
    /// How many offers ahead of the one being applied have their subscription hinted into the cache
    /// (each offer touches ~5 lines of it): enough misses in flight to cover memory latency, few
    /// enough that the lines are still there when used.
    /// </summary>
    public const int PrefetchWindow = 8;

    private readonly SubscriberTable _subscribers;
    private readonly SequencerStage _sequencer;
    private readonly Tick[] _ticks;
    private readonly StagedOffer[] _offers;
    private readonly OfferChain?[] _touched;
    private int _tickCount;
    private int _offerCount;
    private int _touchedCount;
    private long _offered;

    public FanOutStage(SubscriberTable subscribers, SequencerStage sequencer, int tickCapacity = TickCapacity, int offerCapacity = OfferCapacity)
    {
        _subscribers = subscribers;
        _sequencer = sequencer;
        _ticks = new Tick[tickCapacity];
        _offers = new StagedOffer[offerCapacity];
        _touched = new OfferChain?[offerCapacity];
    }

    /// <summary>Offers made so far (any thread; for metrics). Counted when staged.</summary>
    public long Offers => Volatile.Read(ref _offered);

    public void OnEvent(ref Tick data, long sequence, bool endOfBatch)
    {
        if (data.Kind != TickKind.None && _subscribers.Get(data.SymbolId) is { } subscribers)
        {
            Stage(ref data, subscribers);
        }

        if (endOfBatch && _offerCount > 0)
        {
            Flush();
        }
    }

    /// <summary>A processor halting mid-batch never sends <c>endOfBatch</c>: apply what is staged.</summary>
    public void OnShutdown()
    {
        if (_offerCount > 0)
        {
            Flush();
        }
    }

    private void Stage(ref Tick data, Subscriber[] subscribers)
    {
        if (_tickCount == _ticks.Length)
        {
            Flush();
        }

        var tickIndex = _tickCount++;
        _ticks[tickIndex] = data;

        // Staging reads only the subscriber array and the outboxes' chains (one small object per
        // session, hot); the subscriptions themselves are touched, and prefetched, at the flush.
        var offers = _offers;
        for (var i = 0; i < subscribers.Length; i++)
        {
            if (_offerCount == offers.Length)
            {
                // More offers than fit (a symbol with thousands of subscribers): apply what is
                // staged and carry on with this tick as the first of the next window.
                Flush();
                _ticks[0] = data;
                tickIndex = 0;
                _tickCount = 1;
            }

            ref readonly var subscriber = ref subscribers[i];
            var chain = subscriber.Chain;
            var index = _offerCount++;
            ref var offer = ref offers[index];
            offer.Subscription = subscriber.Subscription;
            offer.TickIndex = tickIndex;
            offer.Next = -1;
            if (chain.First < 0)
            {
                chain.First = index;
                _touched[_touchedCount++] = chain;
            }
            else
            {
                offers[chain.Last].Next = index;
            }

            chain.Last = index;
        }

        Volatile.Write(ref _offered, _offered + subscribers.Length);
    }

    private void PrefetchChain(int index)
    {
        var offers = _offers;
        for (var n = 0; n < PrefetchWindow && index >= 0; n++)
        {
            ref var offer = ref offers[index];
            CachePrefetch.Object(offer.Subscription, Subscription.HotBytes);
            index = offer.Next;
        }
    }

    private void Flush()
    {
        // For queued-byte figures only; an estimate avoids touching the symbol's history here.
        var length = _sequencer.TypicalLength;
        var touched = _touched;
        try
        {
            for (var t = 0; t < _touchedCount; t++)
            {
                if (t + 1 < _touchedCount)
                {
                    // The next outbox's first offers, so their misses overlap this outbox's work.
                    PrefetchChain(touched[t + 1]!.First);
                }

                var chain = touched[t]!;
                var first = chain.First;
                chain.First = -1;
                chain.Last = -1;
                touched[t] = null;
                chain.Outbox.ApplyStaged(_offers, _ticks, first, length);
            }
        }
        finally
        {
            // Only reached with chains left over if an offer threw: leave every chain empty so the
            // next window starts clean rather than linking into stale indices.
            for (var t = 0; t < _touchedCount; t++)
            {
                if (touched[t] is { } chain)
                {
                    chain.First = -1;
                    chain.Last = -1;
                    touched[t] = null;
                }
            }

            _touchedCount = 0;
            _offerCount = 0;
            _tickCount = 0;
        }
    }
}
