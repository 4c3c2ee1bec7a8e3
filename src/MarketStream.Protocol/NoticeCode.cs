namespace MarketStream.Protocol;

/// <summary>What a Notice message announces (docs/protocol.md §4.11).</summary>
public enum NoticeCode
{
    /// <summary>A full-mode subscription overflowed and is now conflated. value = 0.</summary>
    DegradedToConflated = 1,

    /// <summary>A full-mode subscription exceeded its max lag and the server merged to catch up. value = updates merged.</summary>
    MaxLagMerged = 2,

    /// <summary>The session is lagging; it will be closed with 4000 unless it catches up. value = ms until the close.</summary>
    SlowConsumer = 3,

    /// <summary>The session token expires soon. value = ms until expiry.</summary>
    TokenExpiring = 4,
}
