using MarketStream.Model;
namespace MarketStream.Feeds.Validation;

/// <summary>
/// Rejections counted per <see cref="IngestRejectCode"/>. Thread-safe (rejections are the rare
/// path, so an interlocked add is fine); one instance may be shared by several validators, e.g.
/// one validator per ingest connection feeding one set of counters.
/// </summary>
public sealed class TickRejectCounts
{
    /// <summary>One past the highest reason value.</summary>
    public const int ReasonCount = (int)IngestRejectCode.NotPermitted + 1;

    private readonly long[] _counts = new long[ReasonCount];

    /// <summary>Rejections for <paramref name="reason"/> so far.</summary>
    public long this[IngestRejectCode reason] => (uint)reason < ReasonCount ? Volatile.Read(ref _counts[(int)reason]) : 0;

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

    /// <summary>Counts one rejection (ignored for <see cref="IngestRejectCode.None"/>).</summary>
    public void Increment(IngestRejectCode reason) => Add(reason, 1);

    /// <summary>Counts <paramref name="count"/> rejections for one reason (ignored for <see cref="IngestRejectCode.None"/>).</summary>
    public void Add(IngestRejectCode reason, long count)
    {
        if (reason != IngestRejectCode.None && (uint)reason < ReasonCount && count > 0)
        {
            Interlocked.Add(ref _counts[(int)reason], count);
        }
    }

    /// <summary>Non-zero counts by <see cref="TickRejectNames.Name"/>, for status endpoints.</summary>
    public IReadOnlyDictionary<string, long> ByName()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var reason = IngestRejectCode.UnknownSymbol; (int)reason < ReasonCount; reason++)
        {
            var count = this[reason];
            if (count > 0)
            {
                result[TickRejectNames.Name(reason)] = count;
            }
        }

        return result;
    }
}
