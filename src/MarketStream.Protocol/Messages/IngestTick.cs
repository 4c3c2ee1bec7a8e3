using MarketStream.Model;


namespace MarketStream.Protocol;

/// <summary>
/// <c>[symbol, kind, exchangeTimeNs, a, b, c, d]</c> (docs/protocol.md §4.17). <see cref="Tick"/> carries
/// kind, exchange time and the four kind-specific fields; id, epoch, seq and server timestamps are
/// assigned by the server.
/// </summary>
/// <param name="Symbol">Symbol name; mantissas use that symbol's scales.</param>
/// <param name="Tick">The tick's market fields.</param>
public readonly record struct IngestTick(string Symbol, Tick Tick)
{
    /// <summary>
    /// Set by the decoder when this entry could not be read as a tick (malformed entry, invalid
    /// symbol name, kind or side): the rest of the message is still decoded, and the server reports
    /// this tick in IngestAck with this code instead of refusing the whole message. None otherwise.
    /// </summary>
    public IngestRejectCode Reject { get; init; }
}
