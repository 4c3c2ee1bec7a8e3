namespace MarketStream.Core.Sessions;

/// <summary>
/// One entry of an outbox queue. <see cref="Seq"/> 0 means "this subscription needs attention"
/// (conflated slot, snapshot, reset or replay; at most one per subscription); otherwise it is a
/// reference to the shared encoded bytes of a full-mode update in the symbol's history.
/// </summary>
internal struct OutboxItem
{
    public Subscription Subscription;
    public long Epoch;
    public long Seq;
    public long ServerTimeNs;
    public int Length;
}
