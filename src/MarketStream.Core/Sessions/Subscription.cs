using MarketStream.Core.Engine;
using MarketStream.Core.Market;

namespace MarketStream.Core.Sessions;

/// <summary>
/// One session's subscription to one symbol, and its conflation slot. Referenced from the fan-out
/// table (so an offer needs no lookup) and from the outbox queue. All mutable fields are guarded by
/// the owning outbox's lock.
/// </summary>
internal sealed class Subscription
{
    public Subscription(SessionOutbox outbox, SymbolStream stream)
    {
        Outbox = outbox;
        Stream = stream;
        SymbolId = stream.Info.Id;
    }

    /// <summary>
    /// Bytes of this object's fields an offer touches (all of them, conflation slot included),
    /// for <see cref="CachePrefetch"/>: the fields' size plus slack for the runtime's padding.
    /// </summary>
    public const int HotBytes = 320;

    public SessionOutbox Outbox { get; }

    public SymbolStream Stream { get; }

    public int SymbolId { get; }

    // ---- configuration (outbox lock) ----
    public DeliveryMode Mode;
    public OverflowPolicy Overflow;
    public long MaxRateNs;
    public long MaxLagNs;

    // ---- stream position (outbox lock) ----
    public SyncState Sync;

    /// <summary>Epoch the client is in.</summary>
    public long Epoch;

    /// <summary>Highest seq the client has (snapshot, update or merged range).</summary>
    public long DeliveredSeq;

    /// <summary>Highest seq accepted from fan-out (queued or pending); offers at or below are duplicates.</summary>
    public long LastOfferedSeq;

    // ---- conflation slot (outbox lock) ----
    public MergedUpdate Pending;
    public long PendingSinceNs;
    public int PendingBytes;
    public long LastSentNs;

    // ---- queue membership (outbox lock) ----
    public bool Queued;
    public bool Delayed;
    /// <summary>In the fan-out table (guarded by the outbox's control lock, not its lock).</summary>
    public bool Registered;
    public int QueuedFull;

    public bool IsSubscribed => Sync != SyncState.Removed;
}
