namespace MarketStream.Protocol;

/// <summary>Why the server sent a Reset instead of continuing the stream (docs/protocol.md §4.8).</summary>
public enum ResetReason
{
    /// <summary>A resume position is older than the retained history.</summary>
    HistoryUnavailable = 1,

    /// <summary>The symbol's epoch changed (restart or upstream reset); history may have been lost.</summary>
    EpochChanged = 2,

    /// <summary>The resume position names an epoch or sequence the server never issued.</summary>
    UnknownPosition = 3,
}
