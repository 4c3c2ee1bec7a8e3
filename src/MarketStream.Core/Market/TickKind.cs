namespace MarketStream.Core.Market;

/// <summary>What a <see cref="Tick"/> carries. Wire values are fixed by docs/protocol.md.</summary>
public enum TickKind : byte
{
    /// <summary>An empty slot; never published.</summary>
    None = 0,

    /// <summary>Top of book: bid/ask price and size.</summary>
    Quote = 1,

    /// <summary>A print: price, size and aggressor side.</summary>
    Trade = 2,
}
