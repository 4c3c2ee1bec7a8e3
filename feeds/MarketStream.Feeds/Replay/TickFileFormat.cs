namespace MarketStream.Feeds.Replay;

/// <summary>Tick file formats (docs/feeds.md §Tick files).</summary>
public enum TickFileFormat
{
    /// <summary>Decide by extension: <c>.csv</c> is <see cref="Csv"/>, <c>.mstk</c> is <see cref="Binary"/>.</summary>
    Auto = 0,

    /// <summary>Text: a header row, then one tick per line.</summary>
    Csv = 1,

    /// <summary>Compact binary capture: magic, version, symbol table, varint records, end marker.</summary>
    Binary = 2,
}
