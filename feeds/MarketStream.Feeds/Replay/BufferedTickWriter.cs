using MarketStream.Model;


namespace MarketStream.Feeds.Replay;

/// <summary>
/// What every tick file writer shares: a reused 64 KiB buffer in front of the stream, the
/// "complete, then no more writes" rule, symbol-id checks and stream ownership. A format supplies
/// only how one tick is encoded (<see cref="Encode"/>), its header (through <see cref="Reserve"/>)
/// and, if it has one, its trailer (<see cref="WriteTrailer"/>).
/// </summary>
public abstract class BufferedTickWriter : ITickWriter
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _symbolCount;
    private readonly int _maxRecordLength;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _length;
    private long _written;
    private bool _completed;

    private protected BufferedTickWriter(Stream stream, int symbolCount, int maxRecordLength, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _symbolCount = symbolCount;
        _maxRecordLength = maxRecordLength;
        _leaveOpen = leaveOpen;
    }

    /// <inheritdoc />
    public long Written => _written;

    /// <inheritdoc />
    public void Write(in Tick tick)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The writer is complete.");
        }

        if ((uint)tick.SymbolId >= (uint)_symbolCount)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick.SymbolId, "The tick's symbol id is not in the writer's universe.");
        }

        // Two statements on purpose: `_length += Encode(.., Reserve(..))` would read _length before
        // Reserve flushes and resets it.
        var destination = Reserve(_maxRecordLength);
        Advance(Encode(in tick, destination));
        _written++;
    }

    /// <inheritdoc />
    public void Flush()
    {
        FlushBuffer();
        _stream.Flush();
    }

    /// <inheritdoc />
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        WriteTrailer();
        _completed = true;
        Flush();
    }

    /// <summary>Completes the file and closes the stream unless it was left open.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Completes the file and closes the stream unless it was left open.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        Complete();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Encodes one tick (its symbol id already checked) into <paramref name="destination"/>; returns the bytes written.</summary>
    private protected abstract int Encode(in Tick tick, Span<byte> destination);

    /// <summary>Writes what ends the file, before the final flush. Nothing by default.</summary>
    private protected virtual void WriteTrailer()
    {
    }

    /// <summary>Room for at least <paramref name="bytes"/> at the write position (flushing first if needed); commit with <see cref="Advance"/>.</summary>
    private protected Span<byte> Reserve(int bytes)
    {
        if (_length > BufferSize - bytes)
        {
            FlushBuffer();
        }

        return _buffer.AsSpan(_length);
    }

    /// <summary>Commits <paramref name="bytes"/> written into the span <see cref="Reserve"/> returned.</summary>
    private protected void Advance(int bytes) => _length += bytes;

    private void FlushBuffer()
    {
        if (_length > 0)
        {
            _stream.Write(_buffer, 0, _length);
            _length = 0;
        }
    }
}
