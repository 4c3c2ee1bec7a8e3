using System.Runtime.InteropServices;

namespace MarketStream.Core.Ring;

/// <summary>
/// A sequence number shared between threads: a producer's cursor or a consumer's progress.
/// The value sits alone on its cache line (56 bytes of padding each side) so that a producer
/// bumping its cursor never invalidates the line holding a consumer's sequence (false sharing).
/// </summary>
public sealed class Sequence
{
    /// <summary>The value of a sequence nothing has been published to or processed from: -1.</summary>
    public const long InitialValue = -1;

    // The padding lives in a struct: the runtime honours StructLayout.Size for value types but
    // ignores it for classes (a class would get the leading pad only).
    private PaddedLong _padded;

    /// <summary>Creates a sequence starting at <paramref name="initialValue"/> (defaults to -1).</summary>
    public Sequence(long initialValue = InitialValue)
    {
        _padded.Value = initialValue;
    }

    /// <summary>
    /// The current value, read with acquire semantics: whatever the writer stored before its
    /// release store of this value (slot contents, in particular) is visible after this read.
    /// </summary>
    public long Value => Volatile.Read(ref _padded.Value);

    /// <summary>
    /// Stores a value with release semantics (an ordered store): every write made before it
    /// (the slot's fields) becomes visible no later than the new value. No StoreLoad fence, so it
    /// costs a plain store on x64 — the cheap store used on every publish.
    /// </summary>
    public void SetValue(long value) => Volatile.Write(ref _padded.Value, value);

    /// <summary>
    /// Stores a value followed by a full fence (StoreLoad). Used where the next load must not be
    /// satisfied before this store is visible to other cores (the producer publishing its
    /// position before it reads the consumers' sequences).
    /// </summary>
    public void SetValueVolatile(long value) => Interlocked.Exchange(ref _padded.Value, value);

    /// <summary>Atomically sets the value to <paramref name="newValue"/> when it equals <paramref name="expected"/>.</summary>
    public bool CompareAndSet(long expected, long newValue)
        => Interlocked.CompareExchange(ref _padded.Value, newValue, expected) == expected;

    /// <summary>Atomically adds <paramref name="increment"/> and returns the new value (full fence).</summary>
    public long AddAndGet(long increment) => Interlocked.Add(ref _padded.Value, increment);

    /// <summary>Atomically adds one and returns the new value (full fence).</summary>
    public long IncrementAndGet() => Interlocked.Increment(ref _padded.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The smallest value among <paramref name="sequences"/>, or <paramref name="minimum"/> when it is smaller or the set is empty.</summary>
    internal static long Minimum(Sequence[] sequences, long minimum)
    {
        for (var i = 0; i < sequences.Length; i++)
        {
            var value = sequences[i].Value;
            if (value < minimum)
            {
                minimum = value;
            }
        }

        return minimum;
    }

    [StructLayout(LayoutKind.Explicit, Size = 120)]
    private struct PaddedLong
    {
        [FieldOffset(56)]
        public long Value;
    }
}
