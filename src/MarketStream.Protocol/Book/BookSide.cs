namespace MarketStream.Protocol;

/// <summary>Side of a book level in BookChange and BookMerged (docs/protocol.md §4.22).</summary>
public enum BookSide : byte
{
    /// <summary>Not a side; never on the wire.</summary>
    None = 0,

    /// <summary>Bid: best is the highest price.</summary>
    Bid = 1,

    /// <summary>Ask (offer): best is the lowest price.</summary>
    Ask = 2,
}
