using MarketStream.Model;


namespace MarketStream.Protocol;

/// <summary>
/// <c>[23, requestId, reason, definition, epoch, seq, quote|nil, trade|nil, exchangeTimeNs, serverTimeNs]</c>:
/// history is gone, discard what you hold for this symbol and take this snapshot (docs/protocol.md §4.14).
/// </summary>
/// <param name="RequestId">The Subscribe whose resume failed, or 0 for an unsolicited reset.</param>
/// <param name="Reason">Why.</param>
/// <param name="Symbol">Symbol definition.</param>
/// <param name="State">Fresh snapshot in the (possibly new) epoch.</param>
public sealed record ResetMessage(long RequestId, ResetReason Reason, SymbolInfo Symbol, SymbolSnapshot State) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Reset;
}
