using MarketStream.Model;


namespace MarketStream.Core.Sessions;

public sealed partial class SessionOutbox
{
    private enum Step : byte
    {
        Progress,
        Refused,
        Empty,
        SlowConsumer,
        Closed,
    }

    /// <summary>
    /// Writer loop: appends waiting items to <paramref name="sink"/> (one outbound frame) until the
    /// sink refuses one or nothing is left. Order: notices, rate-limited symbols that are due, then
    /// the FIFO. Call from one writer loop at a time.
    /// </summary>
    public DrainStatus Drain<TSink>(TSink sink)
        where TSink : IOutboxSink
    {
        ArgumentNullException.ThrowIfNull(sink);
        var nowNs = _clock.UnixNanos();
        while (true)
        {
            Step step;
            using (_gate.Enter())
            {
                // One item per lock hold: fan-out never waits for more than one copy.
                step = StepLocked(ref sink, nowNs);
                if (step != Step.Progress)
                {
                    ArmTimerLocked(nowNs);
                }
            }

            switch (step)
            {
                case Step.Progress:
                    continue;
                case Step.Refused:
                    return DrainStatus.FrameFull;
                case Step.SlowConsumer:
                    return DrainStatus.SlowConsumer;
                case Step.Closed:
                    return DrainStatus.Closed;
                default:
                    return DrainStatus.Empty;
            }
        }
    }

    private Step StepLocked<TSink>(ref TSink sink, long nowNs)
        where TSink : IOutboxSink
    {
        if (_notices is { Count: > 0 })
        {
            if (!sink.TryAppendNotice(_notices.Peek()))
            {
                return Step.Refused;
            }

            _notices.Dequeue();
            return Step.Progress;
        }

        if (_disposed)
        {
            return Step.Closed;
        }

        if (_slowConsumer)
        {
            return Step.SlowConsumer;
        }

        if (_delayed is not null && _delayed.TryPeek(out var due, out var dueNs) && dueNs <= nowNs)
        {
            var result = ProcessAttentionLocked(due, ref sink, nowNs, fromHeap: true);
            if (result != Step.Refused && result != Step.Empty)
            {
                _delayed.Dequeue();
                due.Delayed = false;
                ForgetIfIdleLocked(due);
            }

            return result == Step.Empty ? Step.Progress : result;
        }

        if (_queue.Count == 0)
        {
            if (_fullCount < _fullCapacity / 2)
            {
                _warned = false;
            }

            return Step.Empty;
        }

        ref var head = ref _queue.Head;
        if (head.Seq != 0)
        {
            return ProcessFullLocked(ref head, ref sink, nowNs);
        }

        var subscription = head.Subscription;
        var step = ProcessAttentionLocked(subscription, ref sink, nowNs, fromHeap: false);
        if (step == Step.Refused)
        {
            return step;
        }

        if (step == Step.Progress)
        {
            _queue.Dequeue();
            subscription.Queued = false;
            ForgetIfIdleLocked(subscription);
        }

        // Step.Empty from an attention item means "not done yet, look at it again" (replay in progress).
        return Step.Progress;
    }

    /// <summary>
    /// Produces what a subscription needs: snapshot, reset, replay, or its pending conflated update.
    /// Progress = done with this item; Empty = keep the item and call again; Refused = frame full.
    /// </summary>
    private Step ProcessAttentionLocked<TSink>(Subscription subscription, ref TSink sink, long nowNs, bool fromHeap)
        where TSink : IOutboxSink
    {
        switch (subscription.Sync)
        {
            case SyncState.Removed:
            case SyncState.Subscribing:
                return Step.Progress;
            case SyncState.NeedsSnapshot:
                return SendSnapshotLocked(subscription, ref sink, ResetCause.None, unsolicited: false);
            case SyncState.NeedsReset:
                return SendSnapshotLocked(subscription, ref sink, subscription.PendingReset, unsolicited: true);
            case SyncState.Replaying:
                return ReplayLocked(subscription, ref sink);
        }

        if (subscription.Pending.Count == 0)
        {
            return Step.Progress;
        }

        if (subscription.MaxRateNs > 0 && !fromHeap && nowNs - subscription.LastSentNs < subscription.MaxRateNs)
        {
            // Trailing edge: park it until the interval ends; offers keep merging into the slot meanwhile.
            if (!subscription.Delayed)
            {
                subscription.Delayed = true;
                (_delayed ??= new()).Enqueue(subscription, subscription.LastSentNs + subscription.MaxRateNs);
            }

            return Step.Progress;
        }

        return SendPendingLocked(subscription, ref sink, nowNs);
    }

    private Step SendSnapshotLocked<TSink>(Subscription subscription, ref TSink sink, ResetCause reset, bool unsolicited)
        where TSink : IOutboxSink
    {
        subscription.Stream.ReadSnapshot(out var snapshot);
        if (!sink.TryAppendSnapshot(subscription.Stream.Info, in snapshot, reset, unsolicited))
        {
            return Step.Refused;
        }

        subscription.Epoch = snapshot.Epoch;
        subscription.DeliveredSeq = snapshot.Seq;
        subscription.LastOfferedSeq = snapshot.Seq;
        subscription.Sync = SyncState.Live;
        _snapshotsSent++;
        if (reset != ResetCause.None)
        {
            _resetsSent++;
        }

        return Step.Progress;
    }

    private Step ReplayLocked<TSink>(Subscription subscription, ref TSink sink)
        where TSink : IOutboxSink
    {
        subscription.Stream.ReadSnapshot(out var current);
        var from = subscription.DeliveredSeq + 1;
        if (current.Epoch != subscription.Epoch)
        {
            // A position from another epoch (a previous process, or an upstream restart): §2.4 reason 2.
            return SendSnapshotLocked(subscription, ref sink, ResetCause.EpochChanged, unsolicited: false);
        }

        if (subscription.DeliveredSeq > current.Seq)
        {
            // Beyond anything this epoch has issued: §2.4 reason 3.
            return SendSnapshotLocked(subscription, ref sink, ResetCause.UnknownPosition, unsolicited: false);
        }

        if (from > current.Seq)
        {
            // Caught up with the stream: from here on fan-out's offers carry it.
            subscription.LastOfferedSeq = current.Seq;
            subscription.Sync = SyncState.Live;
            return Step.Progress;
        }

        if (subscription.Mode == DeliveryMode.Full || from == current.Seq)
        {
            // Full mode replays update by update, each from the shared bytes.
            if (!subscription.Stream.TryCopyEncoded(subscription.Epoch, from, _scratch, out var length))
            {
                return SendSnapshotLocked(subscription, ref sink, ResetCause.HistoryUnavailable, unsolicited: false);
            }

            if (!sink.TryAppendUpdate(_scratch.AsSpan(0, length)))
            {
                return Step.Refused;
            }

            subscription.DeliveredSeq = from;
            _updatesSent++;
            return Step.Empty;
        }

        // Conflated mode replays the whole gap as one merged update.
        var merged = default(MergedUpdate);
        if (!subscription.Stream.TryFold(subscription.Epoch, from, current.Seq, ref merged))
        {
            return SendSnapshotLocked(subscription, ref sink, ResetCause.HistoryUnavailable, unsolicited: false);
        }

        if (!AppendMergedLocked(in merged, ref sink))
        {
            return Step.Refused;
        }

        subscription.DeliveredSeq = current.Seq;
        return Step.Empty;
    }

    private Step SendPendingLocked<TSink>(Subscription subscription, ref TSink sink, long nowNs)
        where TSink : IOutboxSink
    {
        ref var pending = ref subscription.Pending;
        if (pending.Count == 1
            && subscription.Stream.TryCopyEncoded(pending.Epoch, pending.LastSeq, _scratch, out var length))
        {
            // One update: the bytes the sequencer encoded once for everyone.
            if (!sink.TryAppendUpdate(_scratch.AsSpan(0, length)))
            {
                return Step.Refused;
            }

            _updatesSent++;
        }
        else if (!AppendMergedLocked(in pending, ref sink))
        {
            return Step.Refused;
        }

        subscription.DeliveredSeq = pending.LastSeq;
        subscription.LastSentNs = nowNs;
        ClearPendingLocked(subscription);
        return Step.Progress;
    }

    private Step ProcessFullLocked<TSink>(ref OutboxItem item, ref TSink sink, long nowNs)
        where TSink : IOutboxSink
    {
        var subscription = item.Subscription;
        if (subscription.Sync != SyncState.Live || item.Epoch != subscription.Epoch || item.Seq <= subscription.DeliveredSeq)
        {
            // Unsubscribed, or covered by a snapshot / reset / catch-up sent since it was queued.
            DequeueFullLocked(ref item);
            return Step.Progress;
        }

        if (subscription.MaxLagNs > 0 && nowNs - item.ServerTimeNs > subscription.MaxLagNs)
        {
            return CatchUpLocked(ref item, ref sink);
        }

        if (!subscription.Stream.TryCopyEncoded(item.Epoch, item.Seq, _scratch, out var length))
        {
            // The history moved past this update before the client took it: the gap cannot be
            // filled update by update any more, so the client gets a reset.
            DequeueFullLocked(ref item);
            BeginResetLocked(subscription, ResetCause.HistoryUnavailable);
            return Step.Progress;
        }

        if (!sink.TryAppendUpdate(_scratch.AsSpan(0, length)))
        {
            return Step.Refused;
        }

        subscription.DeliveredSeq = item.Seq;
        _updatesSent++;
        DequeueFullLocked(ref item);
        return Step.Progress;
    }

    private Step CatchUpLocked<TSink>(ref OutboxItem item, ref TSink sink)
        where TSink : IOutboxSink
    {
        var subscription = item.Subscription;
        var from = item.Seq;
        var to = subscription.LastOfferedSeq;
        var merged = default(MergedUpdate);
        if (!subscription.Stream.TryFold(item.Epoch, from, to, ref merged))
        {
            DequeueFullLocked(ref item);
            BeginResetLocked(subscription, ResetCause.HistoryUnavailable);
            return Step.Progress;
        }

        if (!AppendMergedLocked(in merged, ref sink))
        {
            return Step.Refused;
        }

        // Everything offered so far is in the merged update, including a degraded slot's pending part.
        subscription.DeliveredSeq = to;
        ClearPendingLocked(subscription);
        (_notices ??= new()).Enqueue(new OutboxNotice(OutboxNoticeKind.LagCatchUp, subscription.SymbolId, item.Epoch, from, to));
        DequeueFullLocked(ref item);
        return Step.Progress;
    }

    private bool AppendMergedLocked<TSink>(in MergedUpdate merged, ref TSink sink)
        where TSink : IOutboxSink
    {
        // Merged updates are encoded at drain time, on the writer's thread, into the outbox's own scratch.
        var length = _encoder.EncodeMerged(in merged, _scratch);
        if (!sink.TryAppendUpdate(_scratch.AsSpan(0, length)))
        {
            return false;
        }

        _updatesSent++;
        if (merged.Count > 1)
        {
            _mergedSent++;
            _updatesConflated += merged.Count - 1;
        }

        return true;
    }

    private void DequeueFullLocked(ref OutboxItem item)
    {
        _fullCount--;
        _queuedBytes -= item.Length;
        item.Subscription.QueuedFull--;
        var subscription = item.Subscription;
        _queue.Dequeue();
        ForgetIfIdleLocked(subscription);
    }

    private void ArmTimerLocked(long nowNs)
    {
        if (_disposed || _delayed is null || !_delayed.TryPeek(out _, out var dueNs))
        {
            return;
        }

        if (_timerDueNs != 0 && _timerDueNs <= dueNs && _timerDueNs > nowNs)
        {
            return;
        }

        _timerDueNs = dueNs;
        var delay = TimeSpan.FromTicks(Math.Max(0, dueNs - nowNs) / 100);
        _timer ??= _clock.Provider.CreateTimer(static state => ((SessionOutbox)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        using (_gate.Enter())
        {
            _timerDueNs = 0;
        }

        _signal.Set();
    }
}
