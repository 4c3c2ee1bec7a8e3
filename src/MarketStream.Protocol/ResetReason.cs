namespace MarketStream.Protocol;

/// <summary>Why the server sent a Reset instead of continuing the stream (docs/protocol.md §4.14).</summary>
public enum ResetReason
{
    /// <summary>A resume position older than the retained history, or a full-mode subscriber that fell further behind than it.</summary>
    HistoryUnavailable = 1,

    /// <summary>The symbol's epoch changed (restart or upstream reset), or a cluster gateway repaired an upstream gap with a snapshot.</summary>
    EpochChanged = 2,

    /// <summary>The resume position's seq is beyond the last one the current epoch has issued.</summary>
    UnknownPosition = 3,
}
