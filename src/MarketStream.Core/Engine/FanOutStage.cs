using MarketStream.Core.Ring;
using MarketStream.Core.Sessions;
using MarketStream.Model;

namespace MarketStream.Core.Engine;

/// <summary>
/// Second engine stage, strictly behind the sequencer: hands each sequenced update to every
/// subscription of its symbol. Reads the copy-on-write subscriber array without a lock and never
/// waits on a client: an offer is a short critical section in the session's outbox.
/// </summary>
/// <remarks>
/// Writer loops are woken once per ring batch, not per offer: an offer that needs a wake-up only
/// marks its outbox, and the marked outboxes are woken at <c>endOfBatch</c> (and at least every
/// <see cref="WakeInterval"/> ticks within a long batch, and whenever <see cref="WakeCapacity"/>
/// outboxes are marked). A wake-up of a waiting writer completes a value-task source and queues
/// the writer on the thread pool (hundreds of nanoseconds on the fan-out thread), and with writers
/// that keep up nearly every offer would need one. Offers themselves still land at once, so a drain
/// that is already running sees them; only the wake-up of an idle writer waits for the batch end.
/// </remarks>
internal sealed class FanOutStage : IEventHandler<Tick>, IEventLookahead<Tick>
{
    /// <summary>
    /// Ticks between the near prefetch and the tick's turn (the far one is twice as early), in
    /// batches of at least 128 ticks; shorter batches use a sixteenth of their length (the processor
    /// shortens it, <see cref="BatchEventProcessor{T, THandler}.LookaheadBatchShare"/>).
    /// </summary>
    public const int Lookahead = 8;

    // Bytes of a subscriber array the far hint pulls in: length and the first 7 entries (16 bytes each).
    private const int SubscriberArrayHintBytes = 128;

    /// <summary>Most ticks handled between two rounds of wake-ups inside one long ring batch (a busy ring hands out thousands).</summary>
    public const int WakeInterval = 256;

    /// <summary>Most outboxes marked for waking before they are woken (bounds the list; never grown).</summary>
    public const int WakeCapacity = 1024;

    // How many subscriptions ahead of the current offer are hinted into the cache: enough misses
    // in flight to cover memory latency, few enough that the lines are still there when used.
    private const int PrefetchWindow = 8;

    private readonly SubscriberTable _subscribers;
    private readonly SequencingStage _sequencer;
    private readonly DeferredWake?[] _toWake;
    private readonly int _wakeInterval;
    private int _toWakeCount;
    private int _ticksSinceWake;
    private long _offers;

    public FanOutStage(SubscriberTable subscribers, SequencingStage sequencer, int wakeInterval = WakeInterval, int wakeCapacity = WakeCapacity)
    {
        _subscribers = subscribers;
        _sequencer = sequencer;
        _wakeInterval = wakeInterval;
        _toWake = new DeferredWake?[wakeCapacity];
    }

    /// <summary>Offers made so far (any thread; for metrics).</summary>
    public long Offers => Volatile.Read(ref _offers);

    /// <inheritdoc/>
    public int LookaheadDistance => Lookahead;

    /// <summary>Lookahead, first level: the symbol's subscriber array (one per symbol, so cold with many symbols).</summary>
    public void PrefetchFar(in Tick upcoming)
    {
        if (upcoming.Kind != TickKind.None && _subscribers.Peek(upcoming.SymbolId) is { } subscribers)
        {
            CachePrefetch.Object(subscribers, SubscriberArrayHintBytes);
        }
    }

    /// <summary>
    /// Lookahead, second level: the subscriptions (conflation slots) the tick will be offered to,
    /// found through the now-cached array: their misses overlap with the offers of the ticks before.
    /// </summary>
    public void PrefetchNear(in Tick upcoming)
    {
        if (upcoming.Kind == TickKind.None || _subscribers.Peek(upcoming.SymbolId) is not { } subscribers)
        {
            return;
        }

        var count = Math.Min(subscribers.Length, PrefetchWindow);
        var bytes = Subscription.OfferBytes(upcoming.Kind);
        for (var i = 0; i < count; i++)
        {
            CachePrefetch.Object(subscribers[i].Subscription, bytes);
        }
    }

    public void OnEvent(ref Tick data, long sequence, bool endOfBatch)
    {
        if (data.Kind != TickKind.None && _subscribers.Get(data.SymbolId) is { } subscribers)
        {
            Offer(ref data, subscribers);
        }

        if (_toWakeCount > 0 && (endOfBatch || ++_ticksSinceWake >= _wakeInterval))
        {
            WakeMarked();
        }
    }

    /// <summary>A processor halting mid-batch never sends <c>endOfBatch</c>: wake what is marked.</summary>
    public void OnShutdown()
    {
        if (_toWakeCount > 0)
        {
            WakeMarked();
        }
    }

    private void Offer(ref Tick data, Subscriber[] subscribers)
    {
        // For queued-byte figures only; an estimate avoids touching the symbol's history here.
        var length = _sequencer.TypicalLength;

        // Each offer reads and writes most of its subscription (3–4 cache lines for a quote:
        // Subscription.QuoteOfferBytes); with thousands of subscriptions those lines are cold,
        // and the outbox gate's locked instruction stops a miss from overlapping the next offer.
        // PrefetchNear hinted the first PrefetchWindow subscriptions a few ticks ago; a longer
        // array is hinted one window ahead from here.
        var count = subscribers.Length;
        var bytes = Subscription.OfferBytes(data.Kind);
        for (var i = 0; i < count; i++)
        {
            if (i + PrefetchWindow < count)
            {
                CachePrefetch.Object(subscribers[i + PrefetchWindow].Subscription, bytes);
            }

            ref readonly var subscriber = ref subscribers[i];
            var subscription = subscriber.Subscription;
            if (subscription.Outbox.Offer(subscription, ref data, length))
            {
                Mark(subscriber.Wake);
            }
        }

        Volatile.Write(ref _offers, _offers + count);
    }

    private void Mark(DeferredWake wake)
    {
        if (wake.Pending)
        {
            return;
        }

        if (_toWakeCount == _toWake.Length)
        {
            WakeMarked();
        }

        wake.Pending = true;
        _toWake[_toWakeCount++] = wake;
    }

    private void WakeMarked()
    {
        var toWake = _toWake;
        for (var i = 0; i < _toWakeCount; i++)
        {
            var wake = toWake[i]!;
            toWake[i] = null;
            wake.Pending = false;
            wake.Outbox.Wake();
        }

        _toWakeCount = 0;
        _ticksSinceWake = 0;
    }
}
