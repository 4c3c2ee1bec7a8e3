namespace MarketStream.Journal.Format;

/// <summary>Outcome of reading a segment header.</summary>
public enum SegmentHeaderStatus
{
    /// <summary>A version-1 header with a valid checksum.</summary>
    Ok,

    /// <summary>The file is shorter than a header.</summary>
    TooShort,

    /// <summary>The file does not start with the journal magic: not a segment.</summary>
    BadMagic,

    /// <summary>A segment of a format version this server does not read.</summary>
    UnsupportedVersion,

    /// <summary>The header's checksum does not match.</summary>
    BadChecksum,
}
