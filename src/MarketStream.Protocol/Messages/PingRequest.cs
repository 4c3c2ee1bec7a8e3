namespace MarketStream.Protocol;

/// <summary><c>[5, requestId, clientTimeNs]</c> (docs/protocol.md §4.5).</summary>
/// <param name="RequestId">Request id.</param>
/// <param name="ClientTimeNs">Any integer; echoed in Pong (typically the client clock, for RTT).</param>
public sealed record PingRequest(long RequestId, long ClientTimeNs) : ClientMessage(RequestId)
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Ping;
}
