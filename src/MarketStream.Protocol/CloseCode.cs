namespace MarketStream.Protocol;

/// <summary>
/// WebSocket close status codes the server sends (docs/protocol.md §6). 1000–1011 are RFC 6455 §7.4.1;
/// 4000–4999 are application codes (RFC 6455 §7.4.2: reserved for private use).
/// </summary>
public enum CloseCode
{
    /// <summary>Normal closure (client asked, or the session ended cleanly).</summary>
    Normal = 1000,

    /// <summary>The server is shutting down or restarting; reconnect elsewhere or later.</summary>
    GoingAway = 1001,

    /// <summary>Protocol error at the WebSocket level.</summary>
    ProtocolError = 1002,

    /// <summary>A text frame arrived; only binary frames are accepted.</summary>
    UnsupportedData = 1003,

    /// <summary>Policy violation, e.g. repeated malformed messages.</summary>
    PolicyViolation = 1008,

    /// <summary>An inbound message exceeded the maximum message size.</summary>
    MessageTooBig = 1009,

    /// <summary>Unexpected server condition.</summary>
    InternalError = 1011,

    /// <summary>The client did not read fast enough; a SlowConsumer notice preceded the close.</summary>
    SlowConsumer = 4000,

    /// <summary>The token was rejected.</summary>
    AuthenticationFailed = 4001,

    /// <summary>The token expired during the session.</summary>
    TokenExpired = 4002,

    /// <summary>Too many connections in total or from this client address.</summary>
    TooManyConnections = 4003,

    /// <summary>The client exceeded the inbound message rate persistently.</summary>
    RateLimited = 4004,

    /// <summary>No successful Authenticate within the deadline announced in Welcome.</summary>
    AuthenticationTimeout = 4005,

    /// <summary>The client sent nothing (not even a pong) for longer than the keep-alive timeout.</summary>
    IdleTimeout = 4006,
}
