using System.Buffers.Binary;

namespace MarketStream.Journal.Format;

/// <summary>The 40-byte header every segment starts with (docs/journal.md §2).</summary>
public readonly record struct SegmentHeader(long Number, long CreatedUnixNs)
{
    /// <summary>Writes the header, checksum included, into the first <see cref="JournalFormat.HeaderLength"/> bytes.</summary>
    internal void Write(Span<byte> destination)
    {
        var h = destination[..JournalFormat.HeaderLength];
        h.Clear();
        JournalFormat.Magic.CopyTo(h);
        BinaryPrimitives.WriteUInt16LittleEndian(h[JournalFormat.HeaderVersionOffset..], JournalFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(h[JournalFormat.HeaderLengthOffset..], JournalFormat.HeaderLength);
        BinaryPrimitives.WriteInt64LittleEndian(h[JournalFormat.HeaderNumberOffset..], Number);
        BinaryPrimitives.WriteInt64LittleEndian(h[JournalFormat.HeaderCreatedOffset..], CreatedUnixNs);
        BinaryPrimitives.WriteUInt32LittleEndian(h[JournalFormat.HeaderCrcOffset..], Crc32C.Compute(h[..JournalFormat.HeaderCrcOffset]));
    }

    /// <summary>Reads and checks a header; anything but <see cref="SegmentHeaderStatus.Ok"/> means the segment is unreadable.</summary>
    internal static SegmentHeaderStatus TryRead(ReadOnlySpan<byte> source, out SegmentHeader header)
    {
        header = default;
        if (source.Length < JournalFormat.HeaderLength)
        {
            return SegmentHeaderStatus.TooShort;
        }

        if (!source[..JournalFormat.Magic.Length].SequenceEqual(JournalFormat.Magic))
        {
            return SegmentHeaderStatus.BadMagic;
        }

        // The version is checked before the checksum: a later version may lay the header out differently.
        if (BinaryPrimitives.ReadUInt16LittleEndian(source[JournalFormat.HeaderVersionOffset..]) != JournalFormat.Version
            || BinaryPrimitives.ReadUInt16LittleEndian(source[JournalFormat.HeaderLengthOffset..]) != JournalFormat.HeaderLength)
        {
            return SegmentHeaderStatus.UnsupportedVersion;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(source[JournalFormat.HeaderCrcOffset..]) != Crc32C.Compute(source[..JournalFormat.HeaderCrcOffset]))
        {
            return SegmentHeaderStatus.BadChecksum;
        }

        header = new SegmentHeader(
            BinaryPrimitives.ReadInt64LittleEndian(source[JournalFormat.HeaderNumberOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[JournalFormat.HeaderCreatedOffset..]));
        return SegmentHeaderStatus.Ok;
    }
}
