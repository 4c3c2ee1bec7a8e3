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
    private readonly Sequencer _sequencer;

    // Exactly one is set. Calls go to the sealed type directly (a predictable branch instead of a
    // virtual call), so the JIT can inline the claim and publish fast paths into the producer.
    private readonly SingleProducerSequencer? _singleProducer;
    private readonly MultiProducerSequencer? _multiProducer;

    /// <summary>Creates a ring over <paramref name="sequencer"/>, with <see cref="Sequencer.BufferSize"/> zeroed slots.</summary>
    public RingBuffer(Sequencer sequencer)
    {
        ArgumentNullException.ThrowIfNull(sequencer);
        _sequencer = sequencer;
        _singleProducer = sequencer as SingleProducerSequencer;
        _multiProducer = sequencer as MultiProducerSequencer;
        _indexMask = sequencer.BufferSize - 1;
        _entries = new T[sequencer.BufferSize + (2 * Padding)];
    }

    /// <summary>Creates a ring with the sequencer for <paramref name="producerType"/>.</summary>
    /// <param name="producerType">One publishing thread (<see cref="SingleProducerSequencer"/>) or several (<see cref="MultiProducerSequencer"/>).</param>
    /// <param name="bufferSize">Slots; a power of two.</param>
    /// <param name="waitStrategy">How stages wait. Defaults to <see cref="BlockingWaitStrategy"/>.</param>
    public RingBuffer(ProducerType producerType, int bufferSize, IWaitStrategy? waitStrategy = null)
        : this(producerType == ProducerType.Single
            ? new SingleProducerSequencer(bufferSize, waitStrategy ?? new BlockingWaitStrategy())
            : new MultiProducerSequencer(bufferSize, waitStrategy ?? new BlockingWaitStrategy()))
    {
    }

    /// <summary>The slot for <paramref name="sequence"/>, by reference: write it between claim and publish, read it in a stage.</summary>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Slot(_entries, _indexMask, sequence);
    }

    /// <summary>Number of slots.</summary>
    public int BufferSize => _sequencer.BufferSize;

    /// <summary>See <see cref="Sequencer.Cursor"/>.</summary>
    public long Cursor => _sequencer.Cursor;

    /// <summary>The sequencer behind this ring.</summary>
    public Sequencer Sequencer => _sequencer;

    internal T[] Entries => _entries;

    internal long IndexMask => _indexMask;

    /// <summary>Claims the next sequence, waiting while the ring is full.</summary>
    public long Next() => Next(1);

    /// <summary>Claims <paramref name="n"/> sequences and returns the highest (see <see cref="Sequencer.Next(int)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next(int n) => _singleProducer is { } single ? single.Next(n) : _multiProducer!.Next(n);

    /// <summary>Claims the next sequence if there is room now.</summary>
    public bool TryNext(out long sequence) => _sequencer.TryNext(1, out sequence);

    /// <summary>Claims <paramref name="n"/> sequences if there is room for all now.</summary>
    public bool TryNext(int n, out long sequence) => _sequencer.TryNext(n, out sequence);

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
    public void Publish(long low, long high) => _sequencer.Publish(low, high);

    /// <summary>Free slots now.</summary>
    public long RemainingCapacity() => _sequencer.RemainingCapacity();

    /// <summary>See <see cref="Sequencer.AddGatingSequences"/>.</summary>
    public void AddGatingSequences(params Sequence[] sequences) => _sequencer.AddGatingSequences(sequences);

    /// <summary>See <see cref="Sequencer.RemoveGatingSequence"/>.</summary>
    public bool RemoveGatingSequence(Sequence sequence) => _sequencer.RemoveGatingSequence(sequence);

    /// <summary>See <see cref="Sequencer.NewBarrier"/>.</summary>
    public SequenceBarrier NewBarrier(params Sequence[] dependencies) => _sequencer.NewBarrier(dependencies);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref T Slot(T[] entries, long indexMask, long sequence)
        => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(entries), (nint)(sequence & indexMask) + Padding);
}
