using System.Diagnostics.CodeAnalysis;
using MarketStream.Core.Engine;
using MarketStream.Model;

namespace MarketStream.Core.Sessions;

/// <summary>
/// Everything waiting to be sent to one connection, and the rules for merging it. Created by
/// <see cref="MarketEngine.CreateOutbox"/>; one writer loop per session awaits <see cref="WaitAsync"/>
/// and calls <see cref="Drain{TSink}"/>; the session's reader loop calls Subscribe, Unsubscribe and
/// RequestSnapshot; the engine's fan-out thread offers updates.
/// </summary>
/// <remarks>
/// <para><b>Structure.</b> One FIFO holds (a) references to full-mode updates in the symbols'
/// shared history and (b) at most one "attention" item per subscription (conflated slot with a
/// pending merged update, or a snapshot / reset / replay to produce). Because a subscription is
/// queued at most once, a hot symbol cannot starve a cold one, and the FIFO is bounded by
/// <see cref="OutboxOptions.FullQueueCapacity"/> plus the number of subscriptions: memory is
/// O(subscriptions) however fast ticks arrive. Rate-limited subscriptions wait in a small
/// due-time heap, released by a timer of the injected <see cref="TimeProvider"/>.</para>
/// <para><b>Locking.</b> One short inline spin gate per outbox guards all of it. An offer (fan-out thread)
/// holds it for a few field stores; a drain holds it for one item at a time, so fan-out waits at
/// most one item's copy, never for a socket. Subscribe/unsubscribe also serialise on a separate
/// control lock that is never held by the pipeline.</para>
/// <para><b>Snapshot/stream agreement.</b> See <see cref="Subscribe"/>.</para>
/// </remarks>
public sealed partial class SessionOutbox : IDisposable
{
    private readonly MarketEngine _engine;
    private readonly EngineClock _clock;
    private readonly IUpdateEncoder _encoder;
    private SpinGate _gate;
    private Lock? _controlLock; // ControlLock: made on first use, like the collections below
    private DeferredWake? _deferredWake;
    // The three collections below are made on first use (Subscribe; a rate-limited drain): a session
    // that never subscribes holds none of them (docs/operations.md, memory per connection).
    private Dictionary<int, Subscription>? _subscriptions;
    private readonly OutboxItemQueue _queue;
    private bool _reserveFull; // a full-mode subscription was made: the queue holds the full-mode bound
    private PriorityQueue<Subscription, long>? _delayed;
    private Queue<OutboxNotice>? _notices;
    private readonly WakeSignal _signal = new();
    private byte[] _scratch = [];
    private readonly int _fullCapacity;
    private readonly int _warnThreshold;
    private readonly int _maxSubscriptions;
    private ITimer? _timer;
    private long _timerDueNs;
    private int _activeSubscriptions;
    private int _fullCount;
    private int _pendingSlots;
    private long _queuedBytes;
    private bool _warned;
    private bool _slowConsumer;
    private bool _disposed;
    private long _updatesSent;
    private long _mergedSent;
    private long _updatesConflated;
    private long _snapshotsSent;
    private long _resetsSent;

    internal SessionOutbox(MarketEngine engine, OutboxOptions options)
    {
        _engine = engine;
        _clock = engine.Clock;
        _encoder = engine.Encoder;
        _fullCapacity = options.FullQueueCapacity;
        _warnThreshold = Math.Max(1, options.FullQueueCapacity * 3 / 4);
        _maxSubscriptions = options.MaxSubscriptions;
        // Empty until the first Subscribe sizes it (below), like the encode scratch: a connection that
        // never subscribes holds neither (docs/operations.md, memory per connection).
        _queue = new OutboxItemQueue(0);
    }

    /// <summary>
    /// Fan-out's mark for waking this outbox's writer at the end of a ring batch (fan-out thread only). Made
    /// when the first subscription registers with fan-out (its <see cref="Subscriber"/> reads it), so an outbox
    /// that never subscribes holds none.
    /// </summary>
    internal DeferredWake DeferredWake =>
        Volatile.Read(ref _deferredWake) ?? Interlocked.CompareExchange(ref _deferredWake, new DeferredWake(this), null) ?? _deferredWake;

    /// <summary>
    /// Sized here, on the cold path, so offers never grow a collection: at most one attention item
    /// per subscription, plus the full-mode bound once any subscription is (or was) full mode. A
    /// conflated-only session keeps a queue the size of its subscriptions, not of the full-mode
    /// bound (160 KiB at the default 4,096), which is what a stalled conflated client costs.
    /// </summary>
    private void ReserveQueueLocked(DeliveryMode mode)
    {
        if (_scratch.Length == 0)
        {
            _scratch = new byte[_encoder.MaxUpdateLength];
        }

        _reserveFull |= mode == DeliveryMode.Full;
        _queue.EnsureCapacity((_reserveFull ? _fullCapacity : 0) + (_subscriptions?.Count ?? 0) + 1);
    }

    /// <summary>Entries the item queue can hold without growing (tests: what a session reserves).</summary>
    internal int QueueCapacity
    {
        get
        {
            using (_gate.Enter())
            {
                return _queue.Capacity;
            }
        }
    }

    /// <summary>True once the outbox decided to close the session as a slow consumer.</summary>
    public bool IsSlowConsumer
    {
        get
        {
            using (_gate.Enter())
            {
                return _slowConsumer;
            }
        }
    }

    /// <summary>
    /// Subscribes to a symbol. Without <paramref name="resumeFrom"/> the client first gets a
    /// snapshot from the LVC, then every later update (or merged range) with no gap and no
    /// duplicate. With it, the client gets the updates after that position replayed from history
    /// (merged in conflated mode), or, if the epoch differs or history no longer covers the gap, a
    /// reset snapshot.
    /// </summary>
    /// <remarks>
    /// Why no update is lost or duplicated while sequencer and fan-out run: (1) the subscription is
    /// published in the fan-out table first, in a state that drops offers; (2) only then is it queued
    /// for the drain, which reads the LVC snapshot (seq S) under the outbox lock and turns the
    /// subscription live with LastOfferedSeq = S; (3) a live subscription ignores offers at or below
    /// LastOfferedSeq. An update k that fan-out handled before seeing the subscription was written
    /// to the LVC before fan-out handled it, hence before (1), hence before the read in (2): k ≤ S.
    /// An offer dropped while not live was likewise in the LVC before the drain read it. Every k &gt;
    /// S is therefore offered after (2) and queued in order. The snapshot is taken at drain time, so
    /// a client that is slow to read gets the freshest snapshot, not a stale one.
    /// </remarks>
    public SubscribeStatus Subscribe(int symbolId, in SubscriptionOptions options, StreamPosition? resumeFrom = null)
    {
        options.Validate();
        var stream = _engine.Streams.GetOrCreate(symbolId);
        if (stream is null)
        {
            return SubscribeStatus.UnknownSymbol;
        }

        lock (ControlLock)
        {
            Subscription? subscription;
            using (_gate.Enter())
            {
                if (_disposed || _slowConsumer)
                {
                    return SubscribeStatus.Closed;
                }

                _subscriptions ??= [];
                if (TryGetSubscription(symbolId, out subscription) && subscription.IsSubscribed)
                {
                    ReserveQueueLocked(options.Mode);
                    Configure(subscription, options);
                    return SubscribeStatus.Updated;
                }

                if (_activeSubscriptions >= _maxSubscriptions)
                {
                    return SubscribeStatus.LimitReached;
                }

                // Reuse the slot of an unsubscribed symbol that still sits in the queue, so
                // subscribe/unsubscribe cycles cannot grow the queue.
                subscription ??= new Subscription(this, stream);

                // Not Removed from here on, so a concurrent drain that pops a stale item of this
                // (revived) slot does not forget it from the table before it goes live.
                ClearPendingLocked(subscription);
                subscription.Sync = SyncState.Subscribing;
                _subscriptions[symbolId] = subscription;
                _activeSubscriptions++;
                ReserveQueueLocked(options.Mode);
                // Sized here so an offer never grows it (Offer.cs queues degrade and slow-consumer notices).
                (_notices ??= new()).EnsureCapacity(_subscriptions.Count + 4);
            }

            // Step (1): visible to fan-out before anything can turn it live. Offers are dropped until then.
            if (!subscription.Registered)
            {
                _engine.Subscribers.Add(subscription);
                subscription.Registered = true;
            }

            using (_gate.Enter())
            {
                Configure(subscription, options);
                if (resumeFrom is { } position && position.Epoch > 0 && position.Seq >= 0)
                {
                    subscription.Epoch = position.Epoch;
                    subscription.DeliveredSeq = position.Seq;
                    subscription.LastOfferedSeq = position.Seq;
                    BeginResyncLocked(subscription, SyncState.Replaying);
                }
                else
                {
                    BeginResyncLocked(subscription, SyncState.NeedsSnapshot);
                }
            }
        }

        _signal.Set();
        return SubscribeStatus.Subscribed;
    }

    /// <summary>Unsubscribes: nothing more of that symbol is drained from now on. False if not subscribed.</summary>
    public bool Unsubscribe(int symbolId)
    {
        lock (ControlLock)
        {
            Subscription? subscription;
            using (_gate.Enter())
            {
                if (!TryGetSubscription(symbolId, out subscription) || !subscription.IsSubscribed)
                {
                    return false;
                }

                RemoveLocked(subscription);
            }

            _engine.Subscribers.Remove(subscription);
            subscription.Registered = false;
            return true;
        }
    }

    /// <summary>
    /// Asks for a fresh snapshot of a subscribed symbol, in band: the snapshot (seq S) is placed in
    /// the stream so the client gets updates ≤ S before it (or not at all) and updates &gt; S after
    /// it. False if not subscribed.
    /// </summary>
    public bool RequestSnapshot(int symbolId)
    {
        using (_gate.Enter())
        {
            if (!TryGetSubscription(symbolId, out var subscription) || !subscription.IsSubscribed)
            {
                return false;
            }

            BeginResyncLocked(subscription, SyncState.NeedsSnapshot);
        }

        _signal.Set();
        return true;
    }

    /// <summary>True if subscribed to the symbol.</summary>
    public bool IsSubscribed(int symbolId)
    {
        using (_gate.Enter())
        {
            return TryGetSubscription(symbolId, out var subscription) && subscription.IsSubscribed;
        }
    }

    /// <summary>Effective delivery mode of a subscription (a degraded or rate-limited full subscription reports Conflated); null if not subscribed.</summary>
    public DeliveryMode? GetMode(int symbolId)
    {
        using (_gate.Enter())
        {
            return TryGetSubscription(symbolId, out var subscription) && subscription.IsSubscribed ? subscription.Mode : null;
        }
    }

    /// <summary>Completes when there may be something to drain (or the outbox was disposed). One waiter at a time; allocation-free in steady state.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken = default) => _signal.WaitAsync(cancellationToken);

    /// <summary>
    /// Wakes the <see cref="WaitAsync"/> waiter (or makes its next wait complete at once) without
    /// anything queued here: for a writer loop that also sends its own messages (control replies,
    /// heartbeats, a close), so it can wait on the outbox alone instead of on a second signal fed by
    /// an extra task. Safe from any thread; a wake while one is already pending is folded into it.
    /// </summary>
    public void Wake() => _signal.Set();

    /// <summary>Figures for heartbeats and metrics.</summary>
    public OutboxFigures GetFigures()
    {
        var now = _clock.UnixNanos();
        using (_gate.Enter())
        {
            // The FIFO is in arrival order, so the first item from the head that still holds an
            // unsent update is the oldest: typically O(1), so heartbeats do not hold the gate long.
            var oldest = long.MaxValue;
            for (var i = 0; i < _queue.Count; i++)
            {
                ref var item = ref _queue.At(i);
                var subscription = item.Subscription;
                if (item.Seq != 0 && subscription.Sync == SyncState.Live && item.Epoch == subscription.Epoch && item.Seq > subscription.DeliveredSeq)
                {
                    oldest = item.ServerTimeNs;
                    break;
                }

                if (item.Seq == 0 && subscription.Pending.Count > 0)
                {
                    oldest = subscription.PendingSinceNs;
                    break;
                }
            }

            if (_delayed is not null)
            {
                foreach (var (subscription, _) in _delayed.UnorderedItems)
                {
                    if (subscription.Pending.Count > 0)
                    {
                        oldest = Math.Min(oldest, subscription.PendingSinceNs);
                    }
                }
            }

            var lag = oldest == long.MaxValue ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, now - oldest) / 100);
            return new OutboxFigures(
                _activeSubscriptions,
                _fullCount + _pendingSlots,
                _queuedBytes,
                lag,
                _updatesSent,
                _mergedSent,
                _updatesConflated,
                _snapshotsSent,
                _resetsSent);
        }
    }

    /// <summary>Unsubscribes everything, stops the timer and wakes the writer loop (its next drain returns <see cref="DrainStatus.Closed"/>).</summary>
    public void Dispose()
    {
        lock (ControlLock)
        {
            List<Subscription> registered = [];
            using (_gate.Enter())
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                List<Subscription> all = _subscriptions is null ? [] : [.. _subscriptions.Values];
                foreach (var subscription in all)
                {
                    if (subscription.IsSubscribed)
                    {
                        RemoveLocked(subscription);
                    }

                    if (subscription.Registered)
                    {
                        registered.Add(subscription);
                    }
                }
            }

            foreach (var subscription in registered)
            {
                _engine.Subscribers.Remove(subscription);
                subscription.Registered = false;
            }

            _timer?.Dispose();
        }

        _signal.Set();
        _signal.DisposeRegistration();
    }

    /// <summary>
    /// Serialises Subscribe, Unsubscribe and Dispose (never taken by the pipeline). Made by the first of
    /// them, so a session that never subscribes holds no lock object until it ends.
    /// </summary>
    private Lock ControlLock => LazyInitializer.EnsureInitialized(ref _controlLock);

    private bool TryGetSubscription(int symbolId, [NotNullWhen(true)] out Subscription? subscription)
    {
        subscription = null;
        return _subscriptions is not null && _subscriptions.TryGetValue(symbolId, out subscription);
    }

    private static void Configure(Subscription subscription, in SubscriptionOptions options)
    {
        // A rate limit cannot be honoured without merging, so it implies conflated delivery.
        subscription.Mode = options.MaxRateMs > 0 ? DeliveryMode.Conflated : options.Mode;
        subscription.Overflow = options.Overflow;
        subscription.MaxRateNs = options.MaxRateMs * 1_000_000L;
        subscription.MaxLagNs = options.MaxLagMs * 1_000_000L;
    }

    private void RemoveLocked(Subscription subscription)
    {
        ClearPendingLocked(subscription);
        subscription.Sync = SyncState.Removed;
        _activeSubscriptions--;
        ForgetIfIdleLocked(subscription);
    }

    /// <summary>Drops an unsubscribed slot from the table once no queue refers to it any more.</summary>
    private void ForgetIfIdleLocked(Subscription subscription)
    {
        if (!subscription.IsSubscribed && !subscription.Queued && !subscription.Delayed
            && TryGetSubscription(subscription.SymbolId, out var current) && ReferenceEquals(current, subscription))
        {
            _subscriptions!.Remove(subscription.SymbolId);
        }
    }

    private void BeginResyncLocked(Subscription subscription, SyncState state)
    {
        ClearPendingLocked(subscription);
        subscription.Sync = state;
        EnqueueAttentionLocked(subscription, 0);
    }

    /// <summary>An unsolicited reset (§4.14, requestId 0) for a live subscription.</summary>
    private void BeginResetLocked(Subscription subscription, ResetCause cause)
    {
        subscription.PendingReset = cause;
        BeginResyncLocked(subscription, SyncState.NeedsReset);
    }

    private void EnqueueAttentionLocked(Subscription subscription, long sinceNs)
    {
        if (subscription.Queued)
        {
            return;
        }

        subscription.Queued = true;
        _queue.Enqueue(new OutboxItem { Subscription = subscription, ServerTimeNs = sinceNs });
    }

    private void ClearPendingLocked(Subscription subscription)
    {
        if (subscription.Pending.Count > 0)
        {
            subscription.Pending.Count = 0;
            _pendingSlots--;
            _queuedBytes -= subscription.PendingBytes;
            subscription.PendingBytes = 0;
        }
    }
}
