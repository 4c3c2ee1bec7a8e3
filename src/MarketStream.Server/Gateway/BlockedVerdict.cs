namespace MarketStream.Server.Gateway;

/// <summary>What <see cref="SessionDeadlines.Check"/> finds due for a session whose writer may be blocked in a send.</summary>
internal enum BlockedVerdict
{
    /// <summary>Nothing due yet.</summary>
    None,

    /// <summary>One send has been blocked for the close lag: the client is not reading (4000).</summary>
    SendBlocked,

    /// <summary>The oldest unsent update is older than the close lag (4000).</summary>
    LagPastClose,

    /// <summary>Nothing received, not even a pong, for KeepAliveInterval + KeepAliveTimeout (4006).</summary>
    Silent,
}
