using System.Diagnostics;

namespace MarketStream.LoadTest.Measurement;

/// <summary>
/// Unix nanoseconds computed the way the server's feed clock computes <c>receiveTimeNs</c>: the wall
/// clock read once, plus the monotonic counter (Linux CLOCK_MONOTONIC, shared by every process on the
/// machine). Both processes anchor on the same CLOCK_REALTIME, so tick-to-client latency needs no
/// clock synchronisation on one machine; the error is the two anchors' read jitter (well under 1 µs)
/// plus any NTP slew between the two process starts.
/// </summary>
internal static class UnixClock
{
    private static readonly long AnchorUnixNs = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
    private static readonly long AnchorTimestamp = Stopwatch.GetTimestamp();
    private static readonly double NsPerTimestamp = 1e9 / Stopwatch.Frequency;

    public static long NowNs() => AnchorUnixNs + (long)((Stopwatch.GetTimestamp() - AnchorTimestamp) * NsPerTimestamp);
}
