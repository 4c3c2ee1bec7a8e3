using System.Buffers.Binary;
using MarketStream.Model;
using Microsoft.Win32.SafeHandles;

namespace MarketStream.Journal.Format;

/// <summary>
/// Reads one segment's records in order and stops at the first record that is cut short or fails
/// its checksum (docs/journal.md §4): everything before it is returned, nothing after it.
/// </summary>
/// <remarks>
/// Memory is bounded whatever the file holds: one buffer of twice the largest record, and a length
/// prefix above <see cref="JournalFormat.MaxBodyLength"/> counts as corruption, never as a reason to
/// read further.
/// </remarks>
public sealed class SegmentReader : IDisposable
{
    private const int BufferLength = 2 * JournalFormat.MaxRecordLength;

    private readonly SafeFileHandle _file;
    private readonly long _fileLength;
    private readonly byte[] _buffer = new byte[BufferLength];
    private long _bufferFileOffset;
    private int _start;
    private int _end;

    private SegmentReader(SafeFileHandle file, long fileLength, SegmentHeader header)
    {
        _file = file;
        _fileLength = fileLength;
        Header = header;
        _bufferFileOffset = JournalFormat.HeaderLength;
        ValidLength = JournalFormat.HeaderLength;
    }

    /// <summary>The segment's header.</summary>
    public SegmentHeader Header { get; }

    /// <summary>How the records end; <see cref="SegmentTail.Unread"/> until <see cref="TryRead"/> returned false.</summary>
    public SegmentTail Tail { get; private set; }

    /// <summary>File offset just past the last record returned: the length to cut a damaged segment to.</summary>
    public long ValidLength { get; private set; }

    /// <summary>Records returned so far.</summary>
    public long RecordsRead { get; private set; }

    /// <summary>
    /// Opens a segment and checks its header. Returns null, with the reason in
    /// <paramref name="status"/>, when the header is not a readable version-1 header.
    /// </summary>
    public static SegmentReader? Open(string path, out SegmentHeaderStatus status)
    {
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(file);
            Span<byte> header = stackalloc byte[JournalFormat.HeaderLength];
            var read = ReadFully(file, header, 0);
            status = SegmentHeader.TryRead(header[..read], out var parsed);
            if (status != SegmentHeaderStatus.Ok)
            {
                file.Dispose();
                return null;
            }

            return new SegmentReader(file, length, parsed);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the next record. False at the end of the valid records; <see cref="Tail"/> then says
    /// why, and <see cref="ValidLength"/> where they end.
    /// </summary>
    public bool TryRead(out JournalRecord record)
    {
        record = default;
        if (Tail != SegmentTail.Unread)
        {
            return false;
        }

        if (!Ensure(JournalFormat.FrameLength))
        {
            Tail = _end == _start ? SegmentTail.Clean : SegmentTail.Torn;
            return false;
        }

        var frame = _buffer.AsSpan(_start);
        var bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (bodyLength < JournalFormat.BodyHeaderLength || bodyLength > JournalFormat.MaxBodyLength)
        {
            // A cut-off write leaves a short file, not a bad length; but a length running past the
            // end of the file is reported as torn below, so only impossible lengths land here.
            Tail = SegmentTail.Corrupt;
            return false;
        }

        var recordLength = JournalFormat.FrameLength + (int)bodyLength;
        if (!Ensure(recordLength))
        {
            Tail = SegmentTail.Torn;
            return false;
        }

        frame = _buffer.AsSpan(_start, recordLength);
        var body = frame[JournalFormat.FrameLength..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]) != Crc32C.Compute(body))
        {
            Tail = SegmentTail.Corrupt;
            return false;
        }

        record = new JournalRecord(
            (RecordType)body[JournalFormat.BodyTypeOffset],
            (ChannelKind)body[JournalFormat.BodyChannelOffset],
            BinaryPrimitives.ReadInt32LittleEndian(body[JournalFormat.BodySymbolOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(body[JournalFormat.BodyEpochOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(body[JournalFormat.BodySeqOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(body[JournalFormat.BodyTimeOffset..]),
            body[JournalFormat.BodyHeaderLength..]);
        _start += recordLength;
        ValidLength += recordLength;
        RecordsRead++;
        return true;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();

    /// <summary>Makes at least <paramref name="count"/> unread bytes available; false when the file ends first.</summary>
    private bool Ensure(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        // Move the unread bytes to the front and fill the rest; count ≤ MaxRecordLength ≤ half the buffer.
        var unread = _end - _start;
        _buffer.AsSpan(_start, unread).CopyTo(_buffer);
        _bufferFileOffset += _start;
        _start = 0;
        _end = unread;
        var fileOffset = _bufferFileOffset + _end;
        if (fileOffset < _fileLength)
        {
            var want = (int)Math.Min(_buffer.Length - _end, _fileLength - fileOffset);
            _end += ReadFully(_file, _buffer.AsSpan(_end, want), fileOffset);
        }

        return _end - _start >= count;
    }

    private static int ReadFully(SafeFileHandle file, Span<byte> destination, long offset)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(file, destination[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
