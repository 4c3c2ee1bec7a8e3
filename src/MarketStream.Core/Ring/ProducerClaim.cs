namespace MarketStream.Core.Ring;

/// <summary>
/// Hands out ring sequences to producers and tracks what is published. Producers claim with
/// <see cref="Next()"/> (or a batch with <see cref="Next(int)"/>), write the slot in place, then
/// <see cref="Publish(long)"/>. A claim never overtakes the slowest gating sequence (the last
/// stages' progress) by more than the ring size, so an unprocessed slot is never overwritten.
/// </summary>
public abstract class ProducerClaim
{
    private protected readonly Sequence _cursor = new();
    private protected readonly int _bufferSize;
    private protected readonly IWaitStrategy _waitStrategy;

    // Cached so non-blocking strategies cost nothing on publish (no interface call).
    private protected readonly bool _signalOnPublish;

    // Copy-on-write: producers read the array on their slow path only; writers swap it with CAS.
    private Sequence[] _gatingSequences = [];

    // Producers that found the ring full park here (see AwaitCapacity); stages pulse it after
    // moving their sequence (SignalCapacity). Its own object, so the monitor's state never shares
    // a line with the cursor.
    private readonly object _capacityGate = new();
    private int _capacityWaiters;

    private protected ProducerClaim(int bufferSize, IWaitStrategy waitStrategy)
    {
        ArgumentNullException.ThrowIfNull(waitStrategy);
        if (bufferSize < 1 || !int.IsPow2(bufferSize))
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "The ring size must be a positive power of two.");
        }

        _bufferSize = bufferSize;
        _waitStrategy = waitStrategy;
        _signalOnPublish = waitStrategy.IsBlockingStrategy;
    }

    /// <summary>Number of slots in the ring (a power of two).</summary>
    public int BufferSize => _bufferSize;

    /// <summary>The wait strategy consumers of this claim use.</summary>
    public IWaitStrategy WaitStrategy => _waitStrategy;

    /// <summary>
    /// The cursor: for a single producer the highest published sequence; for several producers the
    /// highest claimed one (publication is then tracked per slot, see <see cref="IsAvailable"/>).
    /// </summary>
    public long Cursor => _cursor.Value;

    /// <summary>Claims the next sequence, waiting while the ring is full.</summary>
    public long Next() => Next(1);

    /// <summary>
    /// Claims <paramref name="n"/> consecutive sequences and returns the highest; the batch is
    /// <c>[result - n + 1, result]</c>. Waits while the ring lacks room.
    /// </summary>
    public abstract long Next(int n);

    /// <summary>Claims the next sequence when the ring has room now; never waits.</summary>
    public bool TryNext(out long sequence) => TryNext(1, out sequence);

    /// <summary>
    /// Claims <paramref name="n"/> sequences when the ring has room for all of them now; never
    /// waits. <paramref name="sequence"/> is the highest of the batch.
    /// </summary>
    public abstract bool TryNext(int n, out long sequence);

    /// <summary>Makes the slot at <paramref name="sequence"/> visible to consumers.</summary>
    public abstract void Publish(long sequence);

    /// <summary>Makes the slots <paramref name="low"/>..<paramref name="high"/> (inclusive) visible to consumers.</summary>
    public abstract void Publish(long low, long high);

    /// <summary>True when the slot at <paramref name="sequence"/> is published and not yet reused.</summary>
    public abstract bool IsAvailable(long sequence);

    /// <summary>
    /// The highest sequence in <paramref name="lowerBound"/>..<paramref name="availableSequence"/>
    /// such that it and every sequence before it are published; <c>lowerBound - 1</c> when none is.
    /// </summary>
    public abstract long GetHighestPublishedSequence(long lowerBound, long availableSequence);

    /// <summary>True when <paramref name="requiredCapacity"/> slots could be claimed now without waiting.</summary>
    public abstract bool HasAvailableCapacity(int requiredCapacity);

    /// <summary>Slots free to claim now (ring size minus claimed-but-unprocessed slots).</summary>
    public long RemainingCapacity()
    {
        var produced = _cursor.Value;
        var consumed = Sequence.Minimum(GatingSequences, produced);
        return _bufferSize - (produced - consumed);
    }

    /// <summary>
    /// Adds sequences producers must not lap (usually the last stages of the pipeline). Each one is
    /// first set to the cursor, so a consumer added late starts from the current position.
    /// </summary>
    public void AddGatingSequences(params Sequence[] sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        Sequence[] current, updated;
        do
        {
            current = Volatile.Read(ref _gatingSequences);
            updated = new Sequence[current.Length + sequences.Length];
            Array.Copy(current, updated, current.Length);
            var cursor = _cursor.Value;
            for (var i = 0; i < sequences.Length; i++)
            {
                sequences[i].SetValue(cursor);
                updated[current.Length + i] = sequences[i];
            }
        }
        while (Interlocked.CompareExchange(ref _gatingSequences, updated, current) != current);
    }

    /// <summary>Stops gating producers on <paramref name="sequence"/>; false when it was not gating.</summary>
    public bool RemoveGatingSequence(Sequence sequence)
    {
        Sequence[] current, updated;
        do
        {
            current = Volatile.Read(ref _gatingSequences);
            var index = Array.IndexOf(current, sequence);
            if (index < 0)
            {
                return false;
            }

            updated = new Sequence[current.Length - 1];
            Array.Copy(current, 0, updated, 0, index);
            Array.Copy(current, index + 1, updated, index, current.Length - index - 1);
        }
        while (Interlocked.CompareExchange(ref _gatingSequences, updated, current) != current);

        // The removed sequence may have been the one a parked producer waited for.
        SignalCapacity();
        return true;
    }

    /// <summary>The slowest gating sequence, or the cursor when nothing gates.</summary>
    public long GetMinimumSequence() => Sequence.Minimum(GatingSequences, _cursor.Value);

    /// <summary>
    /// A barrier for a stage that must stay behind every sequence in <paramref name="dependencies"/>
    /// (upstream stages); with none, the stage follows the producers directly.
    /// </summary>
    public SequenceBarrier NewBarrier(params Sequence[] dependencies)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        return new SequenceBarrier(this, _waitStrategy, _cursor, (Sequence[])dependencies.Clone());
    }

    /// <summary>
    /// Longest a parked producer sleeps before it looks at the gating sequences again without
    /// being signalled. A backstop only: every stage signals after each batch, and
    /// <see cref="RemoveGatingSequence"/> signals too. Tests set <see cref="Timeout.Infinite"/>
    /// so that a lost wake-up shows as a hang.
    /// </summary>
    internal int CapacityParkTimeoutMs { get; set; } = 1;

    /// <summary>Times a producer parked because the ring was full (for tests and diagnostics).</summary>
    internal long CapacityParks => Volatile.Read(ref _capacityParks);

    private long _capacityParks;

    /// <summary>
    /// Called by a stage after it has moved <paramref name="progressed"/>, its sequence: wakes
    /// producers parked on a full ring (<see cref="AwaitCapacity"/>) if that sequence gates them.
    /// A full fence, then one read while nobody is parked; nothing for a stage that does not gate.
    /// </summary>
    public void SignalCapacity(Sequence progressed)
    {
        if (!_signalOnPublish)
        {
            return; // producers of a non-blocking strategy never park (AwaitCapacity)
        }

        // Only the last stages gate producers; an earlier stage's progress frees no slot, and
        // waking a parked producer for it would cost a context switch for nothing.
        if (Array.IndexOf(GatingSequences, progressed) < 0)
        {
            return;
        }

        SignalCapacity();
    }

    private void SignalCapacity()
    {
        // StoreLoad: the caller's sequence store is visible before _capacityWaiters is read. The
        // parking producer increments _capacityWaiters (a full fence) before it re-reads the
        // sequences, so either it sees the new sequence or this sees it waiting: no lost wake-up.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _capacityWaiters) == 0)
        {
            return;
        }

        lock (_capacityGate)
        {
            Monitor.PulseAll(_capacityGate);
        }
    }

    /// <summary>
    /// Waits until the slowest gating sequence reaches <paramref name="wrapPoint"/> and returns it.
    /// Spins briefly; then, with a blocking wait strategy, parks on a monitor until a stage signals
    /// progress, and otherwise yields between checks, as the stages of that strategy do.
    /// </summary>
    /// <remarks>
    /// A full ring means the stages are the bottleneck, and until the last stage finishes its
    /// batch (thousands of events under load) no slot frees up. Yielding in a loop meanwhile takes
    /// up to a third of the CPU of a 2-core host running producer + 2 blocking stages, time the
    /// stages need (profile in perf/notes/engine.md, "Ring waits under load").
    /// Parking costs a wake-up (microseconds) when room appears, nothing next to the ring's worth
    /// of events still queued ahead of the producer. With yielding (or busy-spin, sleeping) stages
    /// the producer keeps yielding: the stages spin too, and a producer woken by the last stage
    /// lands on that stage's core (the kernel places a wakee near its waker), which measured
    /// slower than leaving it runnable.
    /// </remarks>
    private protected long AwaitCapacity(long wrapPoint, long current)
    {
        var spinner = default(SpinWait);
        long gating;
        while (wrapPoint > (gating = Sequence.Minimum(GatingSequences, current)))
        {
            if (_signalOnPublish && spinner.NextSpinWillYield)
            {
                return ParkForCapacity(wrapPoint, current);
            }

            // -1: never Sleep(1), so the producer resumes as soon as a stage moves on.
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return gating;
    }

    private long ParkForCapacity(long wrapPoint, long current)
    {
        Interlocked.Increment(ref _capacityParks);
        lock (_capacityGate)
        {
            // Interlocked (a full fence): ordered before the re-check below, see SignalCapacity.
            Interlocked.Increment(ref _capacityWaiters);
            try
            {
                long gating;
                while (wrapPoint > (gating = Sequence.Minimum(GatingSequences, current)))
                {
                    Monitor.Wait(_capacityGate, CapacityParkTimeoutMs);
                }

                return gating;
            }
            finally
            {
                Interlocked.Decrement(ref _capacityWaiters);
            }
        }
    }

    private protected Sequence[] GatingSequences => Volatile.Read(ref _gatingSequences);

    private protected void ValidateClaimSize(int n)
    {
        if (n < 1 || n > _bufferSize)
        {
            ThrowClaimSize(n);
        }
    }

    private void ThrowClaimSize(int n)
        => throw new ArgumentOutOfRangeException(nameof(n), n, $"A claim must be between 1 and the ring size ({_bufferSize}).");
}
