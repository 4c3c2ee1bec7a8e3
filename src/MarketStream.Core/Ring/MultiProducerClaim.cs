using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MarketStream.Core.Ring;

/// <summary>
/// ProducerClaim for any number of producer threads. Claims are one atomic add on the cursor; as
/// producers finish writing out of order, publication is tracked per slot in an availability
/// buffer (the ring lap number of the sequence last published there), so a consumer stops at the
/// first slot still being written and never reads a half-written one.
/// </summary>
public sealed class MultiProducerClaim : ProducerClaim
{
    // Shared by producers; a padded Sequence so its updates do not false-share with the cursor.
    private readonly Sequence _gatingSequenceCache = new();
    private readonly int[] _availableBuffer;
    private readonly int _indexMask;
    private readonly int _indexShift;

    /// <summary>Creates a claim for a ring of <paramref name="bufferSize"/> slots (a power of two).</summary>
    public MultiProducerClaim(int bufferSize, IWaitStrategy waitStrategy)
        : base(bufferSize, waitStrategy)
    {
        _availableBuffer = new int[bufferSize];
        _availableBuffer.AsSpan().Fill(-1);
        _indexMask = bufferSize - 1;
        _indexShift = int.Log2(bufferSize);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override long Next(int n)
    {
        ValidateClaimSize(n);

        // Wait for room before claiming when the ring is (nearly) full. A claimed slot stops the
        // first stage until it is published, so a producer that claimed and then waited for the
        // last stage would keep the first stage spinning on that slot for as long as the ring
        // stayed full (a batch of the last stage: thousands of events). With several producers
        // another may claim the room first; the check after the claim still guarantees it.
        var observed = _cursor.Value;
        if (observed + n - _bufferSize > _gatingSequenceCache.Value)
        {
            WaitForCapacity(observed, observed + n - _bufferSize);
        }

        // One atomic add claims [current + 1, current + n] for this producer alone, however many
        // producers race (no CAS retry loop under contention).
        var next = _cursor.AddAndGet(n);
        var current = next - n;
        var wrapPoint = next - _bufferSize;
        var cachedGating = _gatingSequenceCache.Value;

        if (wrapPoint > cachedGating || cachedGating > current)
        {
            WaitForCapacity(current, wrapPoint);
        }

        return next;
    }

    /// <inheritdoc />
    public override bool TryNext(int n, out long sequence)
    {
        ValidateClaimSize(n);

        // CAS, not add: a failed attempt must leave the cursor untouched.
        long current, next;
        do
        {
            current = _cursor.Value;
            next = current + n;
            if (!HasAvailableCapacity(n, current))
            {
                sequence = Sequence.InitialValue;
                return false;
            }
        }
        while (!_cursor.CompareAndSet(current, next));

        sequence = next;
        return true;
    }

    /// <inheritdoc />
    public override bool HasAvailableCapacity(int requiredCapacity) => HasAvailableCapacity(requiredCapacity, _cursor.Value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Publish(long sequence)
    {
        SetAvailable(sequence);
        if (_signalOnPublish)
        {
            _waitStrategy.SignalAllWhenBlocking();
        }
    }

    /// <inheritdoc />
    public override void Publish(long low, long high)
    {
        for (var sequence = low; sequence <= high; sequence++)
        {
            SetAvailable(sequence);
        }

        if (_signalOnPublish)
        {
            _waitStrategy.SignalAllWhenBlocking();
        }
    }

    /// <inheritdoc />
    public override bool IsAvailable(long sequence)
    {
        // Acquire read pairs with the release write in SetAvailable: seeing the lap number means
        // seeing the slot contents written before it.
        return Volatile.Read(ref AvailabilityFlag(sequence)) == LapOf(sequence);
    }

    /// <inheritdoc />
    public override long GetHighestPublishedSequence(long lowerBound, long availableSequence)
    {
        for (var sequence = lowerBound; sequence <= availableSequence; sequence++)
        {
            if (!IsAvailable(sequence))
            {
                return sequence - 1;
            }
        }

        return availableSequence;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitForCapacity(long current, long wrapPoint)
    {
        // The slowest stage has not finished its previous lap on the slot(s) wanted (claimed
        // already, or about to be): wait (spin, then park until a stage signals) before writing.
        _gatingSequenceCache.SetValue(AwaitCapacity(wrapPoint, current));
    }

    private bool HasAvailableCapacity(int requiredCapacity, long cursorValue)
    {
        var wrapPoint = cursorValue + requiredCapacity - _bufferSize;
        var cachedGating = _gatingSequenceCache.Value;
        if (wrapPoint > cachedGating || cachedGating > cursorValue)
        {
            var minSequence = Sequence.Minimum(GatingSequences, cursorValue);
            _gatingSequenceCache.SetValue(minSequence);
            if (wrapPoint > minSequence)
            {
                return false;
            }
        }

        return true;
    }

    private void SetAvailable(long sequence)
    {
        // Release store: the slot contents are visible before the flag that says they are there.
        Volatile.Write(ref AvailabilityFlag(sequence), LapOf(sequence));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref int AvailabilityFlag(long sequence)
        => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_availableBuffer), (int)sequence & _indexMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int LapOf(long sequence) => (int)((ulong)sequence >> _indexShift);
}
