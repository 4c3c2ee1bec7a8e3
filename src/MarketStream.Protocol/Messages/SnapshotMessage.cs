using MarketStream.Model;


namespace MarketStream.Protocol;

/// <summary>
/// <c>[20, requestId, definition, epoch, seq, quote|nil, trade|nil, exchangeTimeNs, serverTimeNs]</c>
/// (docs/protocol.md §4.13). <see cref="State"/>'s SymbolId equals <see cref="Symbol"/>'s Id.
/// </summary>
/// <param name="RequestId">The Subscribe or SnapshotRequest it answers.</param>
/// <param name="Symbol">Symbol definition.</param>
/// <param name="State">Last-value-cache state at (epoch, seq).</param>
public sealed record SnapshotMessage(long RequestId, SymbolInfo Symbol, SymbolSnapshot State) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Snapshot;
}
