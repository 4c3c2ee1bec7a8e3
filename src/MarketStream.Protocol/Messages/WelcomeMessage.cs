namespace MarketStream.Protocol;

/// <summary>
/// <c>[16, version, sessionId, serverTimeNs, authDeadlineMs, maxMessageBytes, maxSubscriptions,
/// maxMessagesPerSecond, maxFrameBytes, heartbeatIntervalMs]</c>, the first message of every session
/// (docs/protocol.md §4.9).
/// </summary>
/// <param name="Version">Protocol version, 1.</param>
/// <param name="SessionId">Server-assigned session id (for support and logs).</param>
/// <param name="ServerTimeNs">Server clock, Unix ns.</param>
/// <param name="AuthDeadlineMs">0 if the session is authenticated (or anonymous is allowed); else ms left to send Authenticate.</param>
/// <param name="MaxMessageBytes">Largest inbound message the server accepts.</param>
/// <param name="MaxSubscriptions">Most active subscriptions per connection.</param>
/// <param name="MaxMessagesPerSecond">Inbound message rate limit.</param>
/// <param name="MaxFrameBytes">Largest Batch frame the server sends.</param>
/// <param name="HeartbeatIntervalMs">Interval of Heartbeat messages; 0 = none.</param>
public sealed record WelcomeMessage(
    int Version,
    string SessionId,
    long ServerTimeNs,
    int AuthDeadlineMs,
    int MaxMessageBytes,
    int MaxSubscriptions,
    int MaxMessagesPerSecond,
    int MaxFrameBytes,
    int HeartbeatIntervalMs) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Welcome;
}
