using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MarketStream.Core.Ring;

/// <summary>
/// ProducerClaim for exactly one producer thread: claims are plain arithmetic on producer-local
/// fields and a publish is one release store of the cursor. Calling it from two threads at once
/// corrupts the ring; use <see cref="MultiProducerClaim"/> then.
/// </summary>
public sealed class SingleProducerClaim : ProducerClaim
{
    private ProducerState _state;

    /// <summary>Creates a claim for a ring of <paramref name="bufferSize"/> slots (a power of two).</summary>
    public SingleProducerClaim(int bufferSize, IWaitStrategy waitStrategy)
        : base(bufferSize, waitStrategy)
    {
        _state.NextValue = Sequence.InitialValue;
        _state.CachedGatingSequence = Sequence.InitialValue;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override long Next(int n)
    {
        ValidateClaimSize(n);
        var nextValue = _state.NextValue;
        var nextSequence = nextValue + n;
        var cachedGating = _state.CachedGatingSequence;

        // Only look at the consumers' sequences (shared cache lines) when the cached minimum no
        // longer proves there is room: most claims touch producer-local memory only.
        if (nextSequence - _bufferSize > cachedGating || cachedGating > nextValue)
        {
            WaitForCapacity(nextValue, nextSequence);
        }

        _state.NextValue = nextSequence;
        return nextSequence;
    }

    /// <inheritdoc />
    public override bool TryNext(int n, out long sequence)
    {
        ValidateClaimSize(n);
        if (!HasAvailableCapacity(n))
        {
            sequence = Sequence.InitialValue;
            return false;
        }

        sequence = _state.NextValue += n;
        return true;
    }

    /// <inheritdoc />
    public override bool HasAvailableCapacity(int requiredCapacity)
    {
        var nextValue = _state.NextValue;
        var wrapPoint = nextValue + requiredCapacity - _bufferSize;
        var cachedGating = _state.CachedGatingSequence;
        if (wrapPoint > cachedGating || cachedGating > nextValue)
        {
            var minSequence = Sequence.Minimum(GatingSequences, nextValue);
            _state.CachedGatingSequence = minSequence;
            if (wrapPoint > minSequence)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Publish(long sequence)
    {
        // Release store: the slot's fields, written before this call, are visible to any consumer
        // that reads the new cursor.
        _cursor.SetValue(sequence);
        if (_signalOnPublish)
        {
            _waitStrategy.SignalAllWhenBlocking();
        }
    }

    /// <inheritdoc />
    public override void Publish(long low, long high) => Publish(high);

    /// <inheritdoc />
    public override bool IsAvailable(long sequence)
    {
        var current = _cursor.Value;
        return sequence <= current && sequence > current - _bufferSize;
    }

    /// <inheritdoc />
    public override long GetHighestPublishedSequence(long lowerBound, long availableSequence) => availableSequence;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitForCapacity(long nextValue, long nextSequence)
    {
        // Ring full: the slowest stage still needs the slot we want. Spin, then park until a
        // stage signals progress (ProducerClaim.AwaitCapacity).
        _state.CachedGatingSequence = AwaitCapacity(nextSequence - _bufferSize, nextValue);
    }

    // Written on every claim by the producer only; padded so it never shares a cache line with
    // the fields consumers read (cursor reference, buffer size).
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct ProducerState
    {
        [FieldOffset(56)]
        public long NextValue;

        [FieldOffset(64)]
        public long CachedGatingSequence;
    }
}
