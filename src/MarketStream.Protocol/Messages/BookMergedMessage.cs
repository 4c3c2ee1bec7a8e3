namespace MarketStream.Protocol;

/// <summary>
/// <c>[32, symbolId, epoch, firstSeq, lastSeq, count, levels, checksum, exchangeTimeNs, serverTimeNs]</c>
/// (docs/protocol.md §4.23): book changes firstSeq..lastSeq folded into the latest size of each level they touched.
/// </summary>
/// <param name="SymbolId">Symbol id.</param>
/// <param name="Epoch">Epoch.</param>
/// <param name="FirstSeq">First book stream sequence folded.</param>
/// <param name="LastSeq">Last book stream sequence folded.</param>
/// <param name="Count">Changes folded.</param>
/// <param name="Levels">Levels to set (size 0 = delete), then truncate to depth.</param>
/// <param name="Checksum">§4.24 checksum of the book at lastSeq.</param>
/// <param name="ExchangeTimeNs">Venue time of the last folded change.</param>
/// <param name="ServerTimeNs">Server time of the last folded change.</param>
public sealed record BookMergedMessage(
    int SymbolId, long Epoch, long FirstSeq, long LastSeq, int Count, IReadOnlyList<BookLevelChange> Levels,
    uint Checksum, long ExchangeTimeNs, long ServerTimeNs) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.BookMerged;
}
