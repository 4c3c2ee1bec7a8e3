using System.Runtime.InteropServices;

namespace MarketStream.Journal;

/// <summary>
/// Bounded single-producer / single-consumer byte queue between the journal's ring stage (which
/// encodes records into it) and its writer thread (which writes them to the segment file). A fixed
/// set of chunks used in turn: the producer fills one, commits bytes as it goes and seals it when the
/// next record does not fit; the consumer writes each chunk's committed bytes and releases the chunk
/// once it is sealed and written. When every chunk is in use the producer gets no room — it never
/// waits — so the ring is never held up by the disk.
/// </summary>
/// <remarks>
/// Publication: the producer resets a chunk's <c>Committed</c>/<c>Sealed</c> before it publishes the
/// chunk by bumping <c>_started</c>, and writes <c>Committed</c> before <c>Sealed</c>; the consumer
/// reads <c>_started</c>, then <c>Sealed</c>, then <c>Committed</c>, so a sealed chunk's committed
/// length is final. Chunk numbers only grow; chunk n lives in slot n mod count.
/// </remarks>
internal sealed class JournalHandOff
{
    /// <summary>Chunks in the ring of chunks.</summary>
    public const int ChunkCount = 8;

    private readonly Chunk[] _chunks;
    private readonly int _chunkBytes;

    // Producer side.
    private Chunk? _current;
    private long _producing = -1;
    private int _write;

    // Consumer side.
    private int _read;

    private PaddedLong _started;
    private PaddedLong _released;

    public JournalHandOff(int totalBytes)
    {
        _chunkBytes = totalBytes / ChunkCount;
        _chunks = new Chunk[ChunkCount];
        for (var i = 0; i < ChunkCount; i++)
        {
            _chunks[i] = new Chunk(_chunkBytes);
        }
    }

    /// <summary>Producer: number of the chunk being filled (-1 before the first).</summary>
    public long ProducingChunk => _producing;

    /// <summary>Bytes one chunk holds: the largest record must fit.</summary>
    public int ChunkBytes => _chunkBytes;

    /// <summary>
    /// Producer: room for at least <paramref name="length"/> bytes, or an empty span when every chunk
    /// is in use (the consumer is behind). Write into it, then <see cref="Advance"/>.
    /// </summary>
    public Span<byte> TryReserve(int length)
    {
        if (_current is { } chunk && _chunkBytes - _write >= length)
        {
            return chunk.Bytes.AsSpan(_write);
        }

        return TryNextChunk(length);
    }

    /// <summary>Producer: makes <paramref name="length"/> reserved bytes visible to the consumer.</summary>
    public void Advance(int length)
    {
        _write += length;
        Volatile.Write(ref _current!.Committed, _write);
    }

    /// <summary>Consumer: the next run of committed bytes not yet consumed; false when there is none now.</summary>
    public bool TryPeek(out ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            var number = _released.Value;
            if (Volatile.Read(ref _started.Value) <= number)
            {
                bytes = default;
                return false;
            }

            var chunk = _chunks[number % ChunkCount];
            var sealedChunk = Volatile.Read(ref chunk.Sealed) != 0;
            var committed = Volatile.Read(ref chunk.Committed);
            if (_read < committed)
            {
                bytes = chunk.Bytes.AsSpan(_read, committed - _read);
                return true;
            }

            if (!sealedChunk)
            {
                bytes = default;
                return false;
            }

            _read = 0;
            Volatile.Write(ref _released.Value, number + 1);
        }
    }

    /// <summary>Consumer: marks <paramref name="length"/> bytes from the last <see cref="TryPeek"/> as written.</summary>
    public void Consume(int length) => _read += length;

    /// <summary>Consumer: true when a sealed chunk waits (more than the chunk being filled is outstanding).</summary>
    public bool HasSealedChunk => Volatile.Read(ref _started.Value) - _released.Value > 1;

    private Span<byte> TryNextChunk(int length)
    {
        if (length > _chunkBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A record is larger than a hand-off chunk.");
        }

        var next = _producing + 1;
        if (next - Volatile.Read(ref _released.Value) >= ChunkCount)
        {
            // Every chunk is started and not yet released (the current one included): no room.
            return default;
        }

        if (_current is { } full)
        {
            Volatile.Write(ref full.Sealed, 1);
        }

        var chunk = _chunks[next % ChunkCount];
        chunk.Committed = 0;
        chunk.Sealed = 0;
        _current = chunk;
        _producing = next;
        _write = 0;
        Volatile.Write(ref _started.Value, next + 1);
        return chunk.Bytes;
    }

    private sealed class Chunk(int bytes)
    {
        public readonly byte[] Bytes = GC.AllocateUninitializedArray<byte>(bytes, pinned: true);
        public int Committed;
        public int Sealed;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedLong
    {
        [FieldOffset(64)]
        public long Value;
    }
}
