using MarketStream.Model;


namespace MarketStream.Core.Engine;

/// <summary>
/// One slot of a symbol's history ring. <see cref="Seq"/> doubles as the slot's seqlock: 0 while
/// the sequencer rewrites it (0 is never a valid sequence), the update's seq once complete.
/// </summary>
internal struct HistoryEntry
{
    public long Seq;
    public long Epoch;
    public int Length;
    public Tick Tick;
}
