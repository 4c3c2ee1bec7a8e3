namespace MarketStream.Journal.Format;

/// <summary>How the records of a segment end (docs/journal.md §4).</summary>
public enum SegmentTail
{
    /// <summary>Not yet known: records remain to be read.</summary>
    Unread,

    /// <summary>The last record ends exactly at the end of the file.</summary>
    Clean,

    /// <summary>The file ends inside a record (a write cut short, e.g. by kill -9).</summary>
    Torn,

    /// <summary>A record's length is out of range or its checksum does not match.</summary>
    Corrupt,
}
