namespace MarketStream.Core.Sessions;

/// <summary>Per-session figures for heartbeats and metrics, read at one instant.</summary>
/// <param name="Subscriptions">Symbols subscribed.</param>
/// <param name="QueuedUpdates">Items waiting: queued full-mode updates plus conflated symbols with a pending update.</param>
/// <param name="QueuedBytes">Approximate encoded bytes waiting (a merged update is counted at the size of its latest update).</param>
/// <param name="Lag">Age of the oldest unsent update (server timestamp to now); zero when nothing waits.</param>
/// <param name="UpdatesSent">Update messages appended to frames (single and merged).</param>
/// <param name="MergedSent">Merged update messages appended (each covers two or more updates).</param>
/// <param name="UpdatesConflated">Updates that were folded away by merging (sum of Count − 1).</param>
/// <param name="SnapshotsSent">Snapshots and resets appended.</param>
/// <param name="ResetsSent">Resets among them.</param>
public readonly record struct OutboxFigures(
    int Subscriptions,
    int QueuedUpdates,
    long QueuedBytes,
    TimeSpan Lag,
    long UpdatesSent,
    long MergedSent,
    long UpdatesConflated,
    long SnapshotsSent,
    long ResetsSent);
