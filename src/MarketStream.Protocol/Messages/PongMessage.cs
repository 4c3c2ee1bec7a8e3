namespace MarketStream.Protocol;

/// <summary><c>[27, requestId, clientTimeNs, serverTimeNs]</c> (docs/protocol.md §4.18).</summary>
/// <param name="RequestId">Echoed request id.</param>
/// <param name="ClientTimeNs">Echoed from Ping.</param>
/// <param name="ServerTimeNs">Server clock, Unix ns.</param>
public sealed record PongMessage(long RequestId, long ClientTimeNs, long ServerTimeNs) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Pong;
}
