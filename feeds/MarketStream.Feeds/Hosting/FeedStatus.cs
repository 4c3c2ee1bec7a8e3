namespace MarketStream.Feeds.Hosting;

/// <summary>A point-in-time view of one feed, for operations endpoints and logs.</summary>
/// <param name="Name">Feed name.</param>
/// <param name="State">Life-cycle state.</param>
/// <param name="TicksPublished">Ticks published into the ring since the host started (across restarts).</param>
/// <param name="TicksPerSecond">Publication rate over the last monitor interval.</param>
/// <param name="Rejected">Input ticks refused by validation (replay, ingest).</param>
/// <param name="RejectedByReason">Non-zero refusals by reason name (<see cref="Validation.TickRejectNames"/>).</param>
/// <param name="Errors">Exceptions the handler threw.</param>
/// <param name="Restarts">Times the host restarted the handler after an exception.</param>
/// <param name="Stalls">Times the feed was seen stalled (no tick for the stall timeout while it should produce).</param>
/// <param name="IsStalled">Stalled now.</param>
/// <param name="IsWaitingForRoom">Blocked now on a full ring (back-pressure from the pipeline, not a feed fault).</param>
/// <param name="LastError">Message of the last exception, if any.</param>
public sealed record FeedStatus(
    string Name,
    FeedState State,
    long TicksPublished,
    double TicksPerSecond,
    long Rejected,
    IReadOnlyDictionary<string, long> RejectedByReason,
    long Errors,
    long Restarts,
    long Stalls,
    bool IsStalled,
    bool IsWaitingForRoom,
    string? LastError);
