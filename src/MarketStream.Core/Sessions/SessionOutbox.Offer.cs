using MarketStream.Core.Engine;
using MarketStream.Model;

namespace MarketStream.Core.Sessions;

public sealed partial class SessionOutbox
{
    /// <summary>
    /// Fan-out thread: takes one sequenced update for <paramref name="subscription"/>, a few stores
    /// under the outbox gate; never waits on the client. Returns true if the writer loop needs
    /// waking: fan-out wakes it once at the end of the ring batch (<see cref="Wake"/>), not per offer.
    /// </summary>
    internal bool Offer(Subscription subscription, ref Tick tick, int encodedLength)
    {
        using (_gate.Enter())
        {
            return OfferLocked(subscription, ref tick, encodedLength);
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

        if (tick.Epoch != subscription.Epoch || tick.Kind == TickKind.StreamReset)
        {
            // History restarted upstream (another epoch, or a gap the cluster gateway could
            // only close with a snapshot): whatever the client holds cannot be continued.
            BeginResetLocked(subscription, ResetCause.EpochChanged);
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
        (_notices ??= new()).Enqueue(new OutboxNotice(OutboxNoticeKind.DegradedToConflated, subscription.SymbolId, tick.Epoch, tick.Seq));
        OfferConflatedLocked(subscription, ref tick, encodedLength);
        return true;
    }

    private void WarnLocked()
    {
        _warned = true;
        (_notices ??= new()).Enqueue(new OutboxNotice(OutboxNoticeKind.SlowConsumerWarning, -1));
    }
}
