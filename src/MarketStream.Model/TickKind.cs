namespace MarketStream.Model;

/// <summary>What a <see cref="Tick"/> carries. Wire values are fixed by docs/protocol.md.</summary>
public enum TickKind : byte
{
    /// <summary>An empty slot; never published.</summary>
    None = 0,

    /// <summary>Top of book: bid/ask price and size.</summary>
    Quote = 1,

    /// <summary>A print: price, size and aggressor side.</summary>
    Trade = 2,

    /// <summary>
    /// Engine-internal, never on the wire (feeds and the ingest endpoint accept only quotes and
    /// trades): restarts the symbol's stream at the tick's <c>(Epoch, Seq)</c> from the snapshot
    /// staged with <c>MarketEngine.StageStreamReset</c>, and sends every subscriber
    /// a reset. Cluster gateways use it after an upstream gap (docs/architecture.md, scale-out).
    /// </summary>
    StreamReset = 3,
}
