using System.Diagnostics;
using System.Runtime.CompilerServices;
using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Feeds.Hosting;

/// <summary>
/// A feed's way into the tick ring: claim a batch of slots, fill them in place, publish.
/// Counts what it publishes (for rates and stall detection) and waits for ring room in a way
/// that still honours a stop request. One publisher per feed; an ingest endpoint may share one
/// across connections (claims and counts are thread-safe on a multi-producer ring).
/// <code>
/// var n = publisher.Claim(256, stop, out var low);
/// for (var i = 0; i &lt; n; i++) { ref var t = ref publisher[low + i]; /* write every field */ }
/// publisher.Publish(low, n);
/// </code>
/// A claimed slot must be published, even if filling it failed: consumers wait for every
/// sequence in order. Decode untrusted input before claiming.
/// </summary>
public sealed class TickPublisher
{
    private readonly RingBuffer<Tick> _ring;
    private readonly int _maxClaim;
    private long _published;
    private long _lastPublishTimestamp;
    private int _waitingForRoom;

    internal TickPublisher(string name, RingBuffer<Tick> ring)
    {
        Name = name;
        _ring = ring;

        // A claim of a quarter of the ring at most, so several producers can hold batches at once.
        _maxClaim = Math.Max(1, ring.BufferSize / 4);
        _lastPublishTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>The feed this publisher belongs to.</summary>
    public string Name { get; }

    /// <summary>Largest batch <see cref="Claim"/> hands out.</summary>
    public int MaxClaim => _maxClaim;

    /// <summary>Ticks published so far.</summary>
    public long Published => Volatile.Read(ref _published);

    /// <summary>True while a claim is waiting for the pipeline to free ring slots.</summary>
    public bool IsWaitingForRoom => Volatile.Read(ref _waitingForRoom) != 0;

    internal long LastPublishTimestamp => Volatile.Read(ref _lastPublishTimestamp);

    /// <summary>Starts the silence the stall check measures from now: a feed that was scheduled, not silent, begins here.</summary>
    internal void RestartSilenceClock() => Volatile.Write(ref _lastPublishTimestamp, Stopwatch.GetTimestamp());

    /// <summary>The ring slot for <paramref name="sequence"/>, to fill between claim and publish.</summary>
    public ref Tick this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _ring[sequence];
    }

    /// <summary>Current Unix time in nanoseconds, from a monotonic clock: stamp <see cref="Tick.ReceiveTimeNs"/> with it.</summary>
    public static long NowNs() => FeedClock.UnixNowNs();

    /// <summary>
    /// Claims up to <paramref name="count"/> consecutive slots (at most <see cref="MaxClaim"/>),
    /// waiting while the ring is full. Returns how many were claimed, from <paramref name="low"/>;
    /// 0 only when <paramref name="stop"/> was signalled (nothing is claimed then).
    /// </summary>
    public int Claim(int count, CancellationToken stop, out long low)
    {
        if (count > _maxClaim)
        {
            count = _maxClaim;
        }

        if (count < 1)
        {
            count = 1;
        }

        if (_ring.TryNext(count, out var high))
        {
            low = high - count + 1;
            return count;
        }

        return ClaimSlow(count, stop, out low);
    }

    /// <summary>Publishes <paramref name="count"/> slots claimed from <paramref name="low"/>.</summary>
    public void Publish(long low, int count)
    {
        _ring.Publish(low, low + count - 1);
        Interlocked.Add(ref _published, count);
        Volatile.Write(ref _lastPublishTimestamp, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Copies one decoded tick into the ring and publishes it, stamping its receive time; the
    /// path for an ingest endpoint that decodes one message at a time. False when stopped.
    /// </summary>
    public bool Publish(in Tick tick, CancellationToken stop)
    {
        if (Claim(1, stop, out var seq) == 0)
        {
            return false;
        }

        ref var slot = ref _ring[seq];
        slot = tick;
        slot.ReceiveTimeNs = FeedClock.UnixNowNs();
        Publish(seq, 1);
        return true;
    }

    private int ClaimSlow(int count, CancellationToken stop, out long low)
    {
        // The ring is full: the pipeline is behind. Back off politely (yield, then sleep) and
        // keep checking the stop request, which a blocking Next() could not do.
        Volatile.Write(ref _waitingForRoom, 1);
        try
        {
            var spinner = default(SpinWait);
            while (!stop.IsCancellationRequested)
            {
                spinner.SpinOnce();
                if (_ring.TryNext(count, out var high))
                {
                    low = high - count + 1;
                    return count;
                }
            }

            low = -1;
            return 0;
        }
        finally
        {
            Volatile.Write(ref _waitingForRoom, 0);
        }
    }
}
