using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MarketStream.Core.Ring;

/// <summary>
/// A preallocated, power-of-two ring of struct slots that producers write in place and stages
/// read in place: nothing is allocated per event. Publish with
/// <c>var seq = ring.Next(); ref var slot = ref ring[seq]; … ring.Publish(seq);</c>
/// (a slot keeps its previous lap's values: overwrite every field the stages read).
/// </summary>
/// <typeparam name="T">The slot type (for the product, <c>Tick</c>).</typeparam>
public sealed class RingBuffer<T>
    where T : struct
{
    // Unused slots before and after the live ones, so the first and last slots never share a
    // cache line with the array header or a neighbouring object.
    private static readonly int Padding = (128 / Math.Max(1, Unsafe.SizeOf<T>())) + 1;

    private readonly T[] _entries;
    private readonly long _indexMask;
    private readonly ProducerClaim _claim;

    // Exactly one is set. Calls go to the sealed type directly (a predictable branch instead of a
    // virtual call), so the JIT can inline the claim and publish fast paths into the producer.
    private readonly SingleProducerClaim? _singleProducer;
    private readonly MultiProducerClaim? _multiProducer;

    /// <summary>Creates a ring over <paramref name="claim"/>, with <see cref="ProducerClaim.BufferSize"/> zeroed slots.</summary>
    public RingBuffer(ProducerClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        _claim = claim;
        _singleProducer = claim as SingleProducerClaim;
        _multiProducer = claim as MultiProducerClaim;
        _indexMask = claim.BufferSize - 1;
        _entries = new T[claim.BufferSize + (2 * Padding)];
    }

    /// <summary>Creates a ring with the claim for <paramref name="producerType"/>.</summary>
    /// <param name="producerType">One publishing thread (<see cref="SingleProducerClaim"/>) or several (<see cref="MultiProducerClaim"/>).</param>
    /// <param name="bufferSize">Slots; a power of two.</param>
    /// <param name="waitStrategy">How stages wait. Defaults to <see cref="BlockingWaitStrategy"/>.</param>
    public RingBuffer(ProducerType producerType, int bufferSize, IWaitStrategy? waitStrategy = null)
        : this(producerType == ProducerType.Single
            ? new SingleProducerClaim(bufferSize, waitStrategy ?? new BlockingWaitStrategy())
            : new MultiProducerClaim(bufferSize, waitStrategy ?? new BlockingWaitStrategy()))
    {
    }

    /// <summary>The slot for <paramref name="sequence"/>, by reference: write it between claim and publish, read it in a stage.</summary>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Slot(_entries, _indexMask, sequence);
    }

    /// <summary>Number of slots.</summary>
    public int BufferSize => _claim.BufferSize;

    /// <summary>See <see cref="ProducerClaim.Cursor"/>.</summary>
    public long Cursor => _claim.Cursor;

    /// <summary>The claim behind this ring.</summary>
    public ProducerClaim ProducerClaim => _claim;

    internal T[] Entries => _entries;

    internal long IndexMask => _indexMask;

    /// <summary>Claims the next sequence, waiting while the ring is full.</summary>
    public long Next() => Next(1);

    /// <summary>Claims <paramref name="n"/> sequences and returns the highest (see <see cref="ProducerClaim.Next(int)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next(int n) => _singleProducer is { } single ? single.Next(n) : _multiProducer!.Next(n);

    /// <summary>Claims the next sequence if there is room now.</summary>
    public bool TryNext(out long sequence) => _claim.TryNext(1, out sequence);

    /// <summary>Claims <paramref name="n"/> sequences if there is room for all now.</summary>
    public bool TryNext(int n, out long sequence) => _claim.TryNext(n, out sequence);

    /// <summary>Publishes the slot at <paramref name="sequence"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence)
    {
        if (_singleProducer is { } single)
        {
            single.Publish(sequence);
        }
        else
        {
            _multiProducer!.Publish(sequence);
        }
    }

    /// <summary>Publishes the slots <paramref name="low"/>..<paramref name="high"/> inclusive.</summary>
    public void Publish(long low, long high) => _claim.Publish(low, high);

    /// <summary>Free slots now.</summary>
    public long RemainingCapacity() => _claim.RemainingCapacity();

    /// <summary>See <see cref="ProducerClaim.AddGatingSequences"/>.</summary>
    public void AddGatingSequences(params Sequence[] sequences) => _claim.AddGatingSequences(sequences);

    /// <summary>See <see cref="ProducerClaim.RemoveGatingSequence"/>.</summary>
    public bool RemoveGatingSequence(Sequence sequence) => _claim.RemoveGatingSequence(sequence);

    /// <summary>See <see cref="ProducerClaim.NewBarrier"/>.</summary>
    public SequenceBarrier NewBarrier(params Sequence[] dependencies) => _claim.NewBarrier(dependencies);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref T Slot(T[] entries, long indexMask, long sequence)
        => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(entries), (nint)(sequence & indexMask) + Padding);
}
