namespace MarketStream.Protocol;

/// <summary>
/// Stable numeric error codes carried by Error messages and by <see cref="ProtocolError"/>
/// (docs/protocol.md §5). 1xxx: request/protocol, 2xxx: authentication/entitlement, 3xxx: limits,
/// 4xxx: server. Codes are never reused for another meaning.
/// </summary>
public enum ErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Not well-formed MessagePack (truncated, invalid byte, trailing bytes).</summary>
    MalformedMessage = 1000,

    /// <summary>Well-formed, but not an array whose element 0 is a known type code for this direction.</summary>
    UnknownMessageType = 1001,

    /// <summary>A field has the wrong MessagePack type, is out of range, or the array has the wrong length.</summary>
    InvalidField = 1002,

    /// <summary>The message exceeds the maximum inbound message size.</summary>
    MessageTooLarge = 1003,

    /// <summary>An array, map or string exceeds its limit, or claims more elements than bytes remain.</summary>
    CollectionTooLarge = 1004,

    /// <summary>Arrays nest deeper than the protocol ever needs.</summary>
    NestingTooDeep = 1005,

    /// <summary>A symbol name is empty, too long, or has a character outside the symbol charset.</summary>
    InvalidSymbol = 1006,

    /// <summary>A subscription pattern is empty, too long, or has a character outside the pattern charset.</summary>
    InvalidPattern = 1007,

    /// <summary>No symbol with that name exists (or a pattern matched nothing).</summary>
    UnknownSymbol = 1008,

    /// <summary>A Subscribe reused the request id of an active subscription.</summary>
    DuplicateSubscription = 1009,

    /// <summary>Unsubscribe named a subscription id that is not active.</summary>
    UnknownSubscription = 1010,

    /// <summary>A text WebSocket frame arrived; the protocol is binary only.</summary>
    TextFrameNotSupported = 1011,

    /// <summary>A request id is not a positive integer.</summary>
    InvalidRequestId = 1012,

    /// <summary>SnapshotRequest for a symbol the session is not subscribed to.</summary>
    NotSubscribed = 1013,

    /// <summary>A channel entry names a channel code this server does not know (docs/protocol.md §5.2).</summary>
    UnknownChannel = 1014,

    /// <summary>A book entry asks for more levels per side than the server's cap.</summary>
    BookDepthTooLarge = 1015,

    /// <summary>A bars entry (or resume position) names an interval the server does not compute.</summary>
    UnknownInterval = 1016,

    /// <summary>A trades or bars entry asks for more history than its cap.</summary>
    HistoryTooLarge = 1017,

    /// <summary>A channel (or one bar interval) appears twice in one channel list.</summary>
    DuplicateChannel = 1018,

    /// <summary>The request needs authentication first.</summary>
    AuthenticationRequired = 2000,

    /// <summary>The token is malformed, has a bad signature or a wrong audience.</summary>
    InvalidToken = 2001,

    /// <summary>The token has expired.</summary>
    TokenExpired = 2002,

    /// <summary>The token does not entitle the user to this symbol or pattern.</summary>
    NotEntitled = 2003,

    /// <summary>The session is already authenticated.</summary>
    AlreadyAuthenticated = 2004,

    /// <summary>The token does not allow publishing ticks.</summary>
    IngestNotPermitted = 2005,

    /// <summary>Too many active subscriptions on this connection.</summary>
    TooManySubscriptions = 3000,

    /// <summary>Too many inbound messages per second.</summary>
    RateLimited = 3001,

    /// <summary>A subscription would cover more symbols than allowed.</summary>
    TooManySymbols = 3002,

    /// <summary>A replay would exceed the concurrent replays allowed per connection or per server.</summary>
    TooManyReplays = 3003,

    /// <summary>Unexpected server failure; the request may be retried.</summary>
    InternalError = 4000,

    /// <summary>The server is shutting down or not ready.</summary>
    ServiceUnavailable = 4001,

    /// <summary>No snapshot is available for the symbol yet.</summary>
    SnapshotUnavailable = 4002,

    /// <summary>A replay cannot be served: the journal is off, or the start time is in the future.</summary>
    ReplayUnavailable = 4003,
}
