using MarketStream.Core.Market;
using MarketStream.Core.Ring;

namespace MarketStream.Core.Engine;

/// <summary>
/// Second engine stage, strictly behind the sequencer: hands each sequenced update to every
/// subscription of its symbol. Reads the copy-on-write subscriber array without a lock and never
/// waits on a client: an offer is a short critical section in the session's outbox and at most
/// one wake-up of its writer loop.
/// </summary>
internal sealed class FanOutStage : IEventHandler<Tick>
{
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
        foreach (var subscription in subscriptions)
        {
            subscription.Outbox.Offer(subscription, ref data, length);
        }

        Volatile.Write(ref _offers, _offers + subscriptions.Length);
    }
}
