using MarketStream.Model;
using MarketStream.Journal.Format;

namespace MarketStream.Journal.Storage;

/// <summary>
/// Appends whole records to the journal's newest segment and starts a new one when it reaches the
/// roll size. One thread (the journal's writer thread) uses it. Each new segment opens with a
/// definition of every symbol known at that moment, so a segment is readable after older ones are
/// deleted by retention.
/// </summary>
internal sealed class SegmentWriter : IDisposable
{
    private readonly string _directory;
    private readonly long _rollBytes;
    private readonly Func<long> _nowNs;
    private readonly Func<IReadOnlyList<SymbolInfo>> _symbols;
    private readonly List<SegmentFile> _segments;
    private FileStream? _current;
    private SegmentFile? _currentSegment;
    private long _nextNumber;
    private long _bytesWritten;

    /// <param name="directory">The journal directory (already scanned and repaired).</param>
    /// <param name="existing">Its readable segments, oldest first; appending always starts a new segment.</param>
    /// <param name="rollBytes">Segment size at which the next write starts a new segment.</param>
    /// <param name="nowNs">Unix-nanosecond clock for segment creation times.</param>
    /// <param name="symbols">The symbols to define at the start of each segment.</param>
    public SegmentWriter(string directory, List<SegmentFile> existing, long rollBytes, Func<long> nowNs, Func<IReadOnlyList<SymbolInfo>> symbols)
    {
        _directory = directory;
        _rollBytes = rollBytes;
        _nowNs = nowNs;
        _symbols = symbols;
        _segments = existing;
        _nextNumber = existing.Count == 0 ? 1 : existing[^1].Number + 1;
    }

    /// <summary>Bytes written by this writer (headers, definitions and records).</summary>
    public long BytesWritten => Volatile.Read(ref _bytesWritten);

    /// <summary>Segments on disk, oldest first (writer thread only).</summary>
    public IReadOnlyList<SegmentFile> Segments => _segments;

    /// <summary>
    /// Appends whole records. The segment is rolled before the write when it has reached the roll
    /// size, so a segment ends at a record boundary and exceeds the roll size by less than one write.
    /// </summary>
    public void Write(ReadOnlySpan<byte> records)
    {
        if (_current is null || _currentSegment!.Length >= _rollBytes)
        {
            Roll();
        }

        _current!.Write(records);
        _currentSegment!.Length += records.Length;
        Volatile.Write(ref _bytesWritten, _bytesWritten + records.Length);
    }

    /// <summary>Forces the current segment to stable storage (fsync).</summary>
    public void FlushToDisk() => _current?.Flush(flushToDisk: true);

    /// <summary>
    /// Deletes the oldest segments while the journal holds more than <paramref name="maxTotalBytes"/>
    /// or while the segment after them began before <paramref name="cutoffUnixNs"/> (so the oldest
    /// segment left still covers the cut-off). The newest segment is never deleted. Returns how many went.
    /// </summary>
    public int ApplyRetention(long cutoffUnixNs, long maxTotalBytes)
    {
        long total = 0;
        foreach (var segment in _segments)
        {
            total += segment.Length;
        }

        var deleted = 0;
        while (_segments.Count > 1)
        {
            var oldest = _segments[0];
            if (total <= maxTotalBytes && _segments[1].CreatedUnixNs >= cutoffUnixNs)
            {
                break;
            }

            File.Delete(oldest.Path);
            total -= oldest.Length;
            _segments.RemoveAt(0);
            deleted++;
        }

        return deleted;
    }

    /// <summary>
    /// After a failed write: cuts the current segment back to its last whole record (a full disk
    /// may have taken part of the write) and closes it, so the next write starts a new segment and
    /// no damaged record is ever followed by good ones. Never throws.
    /// </summary>
    public void Abandon()
    {
        if (_current is null)
        {
            return;
        }

        var segment = _currentSegment!;
        try
        {
            if (segment.Length < JournalFormat.HeaderLength)
            {
                // Failed while writing its header: a segment without one would make the journal unreadable.
                _current.Dispose();
                File.Delete(segment.Path);
                _segments.Remove(segment);
            }
            else
            {
                _current.SetLength(segment.Length);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The reader cuts the damaged tail on the next open instead.
        }

        try
        {
            _current.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        _current = null;
    }

    public void Dispose()
    {
        _current?.Flush(flushToDisk: true);
        _current?.Dispose();
        _current = null;
    }

    private void Roll()
    {
        if (_current is { } previous)
        {
            previous.Flush(flushToDisk: true);
            _current = null;
            previous.Dispose();
        }

        var number = _nextNumber++;
        var path = Path.Combine(_directory, JournalFormat.SegmentFileName(number));
        var created = _nowNs();
        var symbols = _symbols();
        var length = JournalFormat.HeaderLength;
        foreach (var symbol in symbols)
        {
            length += RecordWriter.SymbolDefinitionLength(symbol);
        }

        var head = new byte[length];
        new SegmentHeader(number, created).Write(head);
        var at = JournalFormat.HeaderLength;
        foreach (var symbol in symbols)
        {
            at += RecordWriter.WriteSymbolDefinition(head.AsSpan(at), symbol, created);
        }

        // Appends go straight to the file (no FileStream buffer): callers hand over large runs of records.
        _current = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
        _currentSegment = new SegmentFile(number, path, created, 0);
        _segments.Add(_currentSegment);
        _current.Write(head);
        _currentSegment.Length = length;
        Volatile.Write(ref _bytesWritten, _bytesWritten + length);
    }
}
