namespace MarketStream.Feeds.Validation;

/// <summary>
/// Rejections counted per <see cref="TickRejectReason"/>. Thread-safe (rejections are the rare
/// path, so an interlocked add is fine); one instance may be shared by several validators, e.g.
/// one validator per ingest connection feeding one set of counters.
/// </summary>
public sealed class TickRejectCounts
{
    /// <summary>One past the highest reason value.</summary>
    public const int ReasonCount = (int)TickRejectReason.BadSide + 1;

    private readonly long[] _counts = new long[ReasonCount];

    /// <summary>Rejections for <paramref name="reason"/> so far.</summary>
    public long this[TickRejectReason reason] => (uint)reason < ReasonCount ? Volatile.Read(ref _counts[(int)reason]) : 0;

    /// <summary>All rejections so far.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            for (var i = 1; i < ReasonCount; i++)
            {
                total += Volatile.Read(ref _counts[i]);
            }

            return total;
        }
    }

    /// <summary>Counts one rejection (ignored for <see cref="TickRejectReason.None"/>).</summary>
    public void Increment(TickRejectReason reason)
    {
        if (reason != TickRejectReason.None && (uint)reason < ReasonCount)
        {
            Interlocked.Increment(ref _counts[(int)reason]);
        }
    }
}
