using System.Diagnostics;

namespace MarketStream.Feeds.Hosting;

/// <summary>
/// Unix-nanosecond wall time from the monotonic high-resolution counter, anchored once: cheaper
/// than <see cref="DateTime.UtcNow"/> per batch and never steps backwards when NTP adjusts the clock.
/// </summary>
internal static class FeedClock
{
    private static readonly long AnchorUnixNs = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
    private static readonly long AnchorTimestamp = Stopwatch.GetTimestamp();
    private static readonly double NsPerTimestamp = 1e9 / Stopwatch.Frequency;

    public static long UnixNowNs() => AnchorUnixNs + (long)((Stopwatch.GetTimestamp() - AnchorTimestamp) * NsPerTimestamp);

    public static long TimestampFromNs(double ns) => (long)(ns / NsPerTimestamp);

    public static double NsFromTimestamp(long timestamp) => timestamp * NsPerTimestamp;
}
