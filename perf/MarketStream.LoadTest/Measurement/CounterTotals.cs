namespace MarketStream.LoadTest.Measurement;

/// <summary>A sum of <see cref="ClientCounters"/> at one instant.</summary>
internal readonly record struct CounterTotals(long Updates, long Merged, long MergedTicks, long Frames, long Bytes, long Snapshots, long Errors, long NegativeLatencies)
{
    public static CounterTotals operator -(CounterTotals a, CounterTotals b) => new(
        a.Updates - b.Updates, a.Merged - b.Merged, a.MergedTicks - b.MergedTicks, a.Frames - b.Frames,
        a.Bytes - b.Bytes, a.Snapshots - b.Snapshots, a.Errors - b.Errors, a.NegativeLatencies - b.NegativeLatencies);

    /// <summary>Ticks the updates stand for: plain updates plus every tick folded into a merged one.</summary>
    public long TicksCovered => Updates - Merged + MergedTicks;

    /// <summary>Share of covered ticks that arrived folded into a Merged message.</summary>
    public double MergedRatio => TicksCovered == 0 ? 0 : (double)MergedTicks / TicksCovered;
}
