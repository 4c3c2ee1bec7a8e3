namespace MarketStream.Protocol;

/// <summary>
/// <c>[31, symbolId, epoch, seq, levels, checksum, exchangeTimeNs, serverTimeNs]</c> (docs/protocol.md §4.22):
/// one sequenced book change.
/// </summary>
/// <param name="SymbolId">Symbol id.</param>
/// <param name="Epoch">Epoch.</param>
/// <param name="Seq">Book stream sequence of the change.</param>
/// <param name="Levels">Levels to set (size 0 = delete), then truncate to depth.</param>
/// <param name="Checksum">§4.24 checksum of the book after the change.</param>
/// <param name="ExchangeTimeNs">Venue time.</param>
/// <param name="ServerTimeNs">Server time.</param>
public sealed record BookChangeMessage(
    int SymbolId, long Epoch, long Seq, IReadOnlyList<BookLevelChange> Levels, uint Checksum, long ExchangeTimeNs, long ServerTimeNs) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.BookChange;
}
