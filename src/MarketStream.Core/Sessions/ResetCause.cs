namespace MarketStream.Core.Sessions;

/// <summary>
/// Why the outbox sends a reset (a snapshot that replaces what the client holds) instead of a plain
/// snapshot. The values are the Reset reasons of docs/protocol.md §4.14.
/// </summary>
public enum ResetCause : byte
{
    /// <summary>Not a reset: a plain snapshot answering a subscribe or a snapshot request.</summary>
    None = 0,

    /// <summary>The history no longer holds the updates after the client's position (resume too old, or a full-mode client fell more than the history behind).</summary>
    HistoryUnavailable = 1,

    /// <summary>The stream restarted: another epoch, or a cluster gateway repaired an upstream gap with a snapshot.</summary>
    EpochChanged = 2,

    /// <summary>A resume position beyond anything the stream has issued in that epoch.</summary>
    UnknownPosition = 3,
}
