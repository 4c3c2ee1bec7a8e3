namespace MarketStream.Server.Gateway;

/// <summary>
/// Per symbol of one session: how many subscriptions cover it, which one owns its delivery (the first
/// one, docs/protocol.md §4.2: "a symbol already covered keeps that subscription's delivery"), and the
/// request id the next Snapshot/Reset answers (§4.13/§4.14).
/// </summary>
internal sealed class SymbolCoverage(long ownerId)
{
    public int Count { get; set; } = 1;

    /// <summary>Subscription whose options the outbox uses for this symbol; named in notices.</summary>
    public long OwnerId { get; set; } = ownerId;

    /// <summary>Request id of the Subscribe or SnapshotRequest the next snapshot answers; 0 once answered (an unsolicited Reset carries 0).</summary>
    public long PendingRequestId { get; set; }
}
