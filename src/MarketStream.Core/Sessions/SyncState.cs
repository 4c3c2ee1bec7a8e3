namespace MarketStream.Core.Sessions;

/// <summary>
/// Where a subscription stands against its symbol's stream. Every state but <see cref="Live"/>
/// drops offered updates: the drain resolves the state from the LVC or history, which the
/// sequencer always writes before fan-out offers the same update, so whatever was dropped is
/// covered by what the drain reads.
/// </summary>
internal enum SyncState : byte
{
    /// <summary>Not subscribed (never, or unsubscribed).</summary>
    Removed = 0,

    /// <summary>
    /// Being subscribed: counted and kept in the outbox's table, not yet visible to fan-out, nothing
    /// to send yet. A queue item left over from an earlier subscription to the symbol is discarded.
    /// </summary>
    Subscribing = 5,

    /// <summary>The next item is a snapshot from the LVC.</summary>
    NeedsSnapshot = 1,

    /// <summary>The next item is a reset: a snapshot telling the client its history is gone.</summary>
    NeedsReset = 2,

    /// <summary>Resuming: replay history after DeliveredSeq until caught up with the LVC.</summary>
    Replaying = 3,

    /// <summary>Synchronised: offers with seq above LastOfferedSeq are delivered.</summary>
    Live = 4,
}
