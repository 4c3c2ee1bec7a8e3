using MarketStream.Core.Engine;
using MarketStream.Core.Market;

namespace MarketStream.Core.Sessions;

public sealed partial class SessionOutbox
{
    // Longest run of offers applied under one gate hold: a drain waiting on the gate waits for at
    // most this many (each a few stores), however many fan-out staged for this outbox.
    private const int MaxOffersPerGateHold = 64;

    /// <summary>
    /// Fan-out thread: applies the offers fan-out staged for this outbox (a chain through
    /// <paramref name="offers"/> starting at <paramref name="first"/>, in offer order), taking the
    /// gate once per run of up to <see cref="MaxOffersPerGateHold"/> instead of once per offer, and
    /// wakes the writer loop at most once. Never waits on the client.
    /// </summary>
    internal void ApplyStaged(StagedOffer[] offers, Tick[] ticks, int first, int encodedLength)
    {
        var wake = false;
        var next = first;

        // A cursor FanOutStage.PrefetchWindow offers ahead: fan-out already hinted the chain's
        // first ones, this keeps hinting the subscriptions of a long chain (one busy session).
        var ahead = first;
        for (var n = 0; n < FanOutStage.PrefetchWindow && ahead >= 0; n++)
        {
            ahead = offers[ahead].Next;
        }

        while (next >= 0)
        {
            using (_gate.Enter())
            {
                for (var n = 0; n < MaxOffersPerGateHold && next >= 0; n++)
                {
                    if (ahead >= 0)
                    {
                        ref var later = ref offers[ahead];
                        CachePrefetch.Object(later.Subscription, Subscription.HotBytes);
                        ahead = later.Next;
                    }

                    ref var offer = ref offers[next];
                    wake |= OfferLocked(offer.Subscription, ref ticks[offer.TickIndex], encodedLength);
                    next = offer.Next;
                }
            }
        }

        if (wake)
        {
            _signal.Set();
        }
    }

    /// <summary>One sequenced update for <paramref name="subscription"/>; true if the writer loop needs waking.</summary>
    private bool OfferLocked(Subscription subscription, ref Tick tick, int encodedLength)
    {
        if (subscription.Sync != SyncState.Live || _slowConsumer || _disposed)
        {
            // Not live: the pending snapshot / reset / replay will cover this update.
            return false;
        }

        if (tick.Epoch != subscription.Epoch)
        {
            // History restarted upstream: whatever the client holds is from another epoch.
            BeginResyncLocked(subscription, SyncState.NeedsReset);
            return true;
        }

        if (tick.Seq <= subscription.LastOfferedSeq)
        {
            // Already in the client's snapshot, replay or queue.
            return false;
        }

        subscription.LastOfferedSeq = tick.Seq;
        return subscription.Mode == DeliveryMode.Full
            ? OfferFullLocked(subscription, ref tick, encodedLength)
            : OfferConflatedLocked(subscription, ref tick, encodedLength);
    }

    private bool OfferConflatedLocked(Subscription subscription, ref Tick tick, int encodedLength)
    {
        if (subscription.Pending.Count == 0)
        {
            subscription.PendingSinceNs = tick.ServerTimeNs;
            _pendingSlots++;
        }

        TickFolding.Fold(ref subscription.Pending, in tick);
        _queuedBytes += encodedLength - subscription.PendingBytes;
        subscription.PendingBytes = encodedLength;

        // Already queued or waiting out its rate limit: the merge above is all it takes.
        if (subscription.Queued || subscription.Delayed)
        {
            return false;
        }

        EnqueueAttentionLocked(subscription, tick.ServerTimeNs);
        return true;
    }

    private bool OfferFullLocked(Subscription subscription, ref Tick tick, int encodedLength)
    {
        if (_fullCount >= _fullCapacity)
        {
            return OverflowLocked(subscription, ref tick, encodedLength);
        }

        _queue.Enqueue(new OutboxItem
        {
            Subscription = subscription,
            Epoch = tick.Epoch,
            Seq = tick.Seq,
            ServerTimeNs = tick.ServerTimeNs,
            Length = encodedLength,
        });
        _fullCount++;
        _queuedBytes += encodedLength;
        subscription.QueuedFull++;
        if (!_warned && _fullCount >= _warnThreshold && subscription.Overflow == OverflowPolicy.Close)
        {
            WarnLocked();
        }

        return true;
    }

    private bool OverflowLocked(Subscription subscription, ref Tick tick, int encodedLength)
    {
        if (subscription.Overflow == OverflowPolicy.Close)
        {
            // The warning always precedes the close in the stream: the drain sends notices first.
            if (!_warned)
            {
                WarnLocked();
            }

            _slowConsumer = true;
            return true;
        }

        // Degrade: this subscription is conflated from now on. Its updates already queued stay
        // ahead of its conflation slot in the FIFO, so its sequence still only rises.
        subscription.Mode = DeliveryMode.Conflated;
        _notices.Enqueue(new OutboxNotice(OutboxNoticeKind.DegradedToConflated, subscription.SymbolId, tick.Epoch, tick.Seq));
        OfferConflatedLocked(subscription, ref tick, encodedLength);
        return true;
    }

    private void WarnLocked()
    {
        _warned = true;
        _notices.Enqueue(new OutboxNotice(OutboxNoticeKind.SlowConsumerWarning, -1));
    }
}
