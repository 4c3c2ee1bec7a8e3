namespace MarketStream.Protocol;

/// <summary>
/// <c>[37, requestId, symbolId, replayed, serverTimeNs]</c> (docs/protocol.md §4.28): the replay of one symbol
/// has caught up; what follows is live.
/// </summary>
/// <param name="RequestId">The Subscribe that asked for the replay.</param>
/// <param name="SymbolId">Symbol id.</param>
/// <param name="Replayed">Messages of this symbol sent from the journal.</param>
/// <param name="ServerTimeNs">Server time of the handover.</param>
public sealed record ReplayCompleteMessage(long RequestId, int SymbolId, long Replayed, long ServerTimeNs) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.ReplayComplete;
}
