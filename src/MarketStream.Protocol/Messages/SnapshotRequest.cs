namespace MarketStream.Protocol;

/// <summary><c>[4, requestId, symbol]</c>: a fresh in-band snapshot of one subscribed symbol (docs/protocol.md §4.4).</summary>
/// <param name="RequestId">Request id.</param>
/// <param name="Symbol">Symbol name (not a pattern).</param>
public sealed record SnapshotRequest(long RequestId, string Symbol) : ClientMessage(RequestId)
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.SnapshotRequest;
}
