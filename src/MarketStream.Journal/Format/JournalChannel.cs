namespace MarketStream.Journal.Format;

/// <summary>
/// The channel of an update record (body byte 1): the codes of docs/protocol.md §2.5, so a record
/// says which stream of its symbol its <c>seq</c> belongs to. Quotes and trades share the L1 stream.
/// </summary>
public enum JournalChannel : byte
{
    /// <summary>Not an update (symbol definitions and gaps).</summary>
    None = 0,

    /// <summary>L1 quote (top of book).</summary>
    Quotes = 1,

    /// <summary>L1 trade.</summary>
    Trades = 2,

    /// <summary>Order book change (issue #22).</summary>
    Book = 3,

    /// <summary>Bar (issue #23).</summary>
    Bars = 4,

    /// <summary>Statistics (issue #23).</summary>
    Statistics = 5,

    /// <summary>Instrument status (issue #23).</summary>
    Status = 6,
}
