using System.Diagnostics;
using MarketStream.Model;

namespace MarketStream.Feeds.Hosting;

/// <summary>
/// Unix-nanosecond wall time from the monotonic high-resolution counter, anchored once: cheaper
/// than <see cref="DateTime.UtcNow"/> per batch and never steps backwards when NTP adjusts the clock.
/// </summary>
internal static class FeedClock
{
    private static readonly double NsPerTimestamp = 1e9 / Stopwatch.Frequency;
    private static readonly (long UnixNs, long Timestamp) Anchor = TakeAnchor();
    private static readonly long AnchorUnixNs = Anchor.UnixNs;
    private static readonly long AnchorTimestamp = Anchor.Timestamp;

    public static long UnixNowNs() => AnchorUnixNs + (long)((Stopwatch.GetTimestamp() - AnchorTimestamp) * NsPerTimestamp);

    /// <summary>
    /// The wall clock paired with the counter read closest to it: the tightest of a few bracketed
    /// reads, taken at its midpoint. Two processes (server and load generator) compare these clocks,
    /// so a thread descheduled between the two reads must not skew one of them by milliseconds
    /// (latencies below such a skew would read as negative and be dropped from the histogram).
    /// </summary>
    private static (long UnixNs, long Timestamp) TakeAnchor()
    {
        var best = (UnixNs: 0L, Timestamp: 0L);
        var bestGap = long.MaxValue;
        for (var i = 0; i < 8; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var wall = DateTime.UtcNow.Ticks;
            var after = Stopwatch.GetTimestamp();
            if (after - before < bestGap)
            {
                bestGap = after - before;
                best = (UnixNanos.FromUtcTicks(wall), before + ((after - before) / 2));
            }
        }

        return best;
    }

    public static long TimestampFromNs(double ns) => (long)(ns / NsPerTimestamp);

    public static double NsFromTimestamp(long timestamp) => timestamp * NsPerTimestamp;
}
