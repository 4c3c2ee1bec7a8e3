namespace MarketStream.Protocol;

/// <summary>
/// <c>[30, requestId, reason, symbolId, epoch, seq, depth, bids, asks, checksum, exchangeTimeNs, serverTimeNs]</c>
/// (docs/protocol.md §4.21): a symbol's book at <c>(epoch, seq)</c> of its book stream, to the subscription's depth.
/// </summary>
/// <param name="RequestId">The Subscribe or SnapshotRequest it answers; 0 when the server sends it on its own.</param>
/// <param name="Reason">0 (<c>default</c>) for a snapshot; a reset reason when history is broken.</param>
/// <param name="SymbolId">Symbol id (SubscribeAck has the definition).</param>
/// <param name="Epoch">Epoch.</param>
/// <param name="Seq">Book stream sequence the snapshot includes; 0 = no book change yet.</param>
/// <param name="Depth">Levels per side this subscription keeps.</param>
/// <param name="Bids">Bids, best (highest) first.</param>
/// <param name="Asks">Asks, best (lowest) first.</param>
/// <param name="Checksum">§4.24 checksum of the book after this message.</param>
/// <param name="ExchangeTimeNs">Venue time of the last change included.</param>
/// <param name="ServerTimeNs">Server time of the last change included.</param>
public sealed record BookSnapshotMessage(
    long RequestId, ResetReason Reason, int SymbolId, long Epoch, long Seq, int Depth,
    IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks, uint Checksum, long ExchangeTimeNs, long ServerTimeNs) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.BookSnapshot;
}
