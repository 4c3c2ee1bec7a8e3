using System.Diagnostics;

namespace MarketStream.Feeds.Hosting;

/// <summary>Clock waits for paced feeds.</summary>
internal static class Pacing
{
    /// <summary>
    /// Sleeps towards <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp) in
    /// steps of at least a millisecond: a paced feed then publishes what fell due as one batch
    /// instead of spinning a core between ticks. Returns false when <paramref name="stop"/> fired.
    /// </summary>
    public static bool WaitUntil(long timestamp, CancellationToken stop)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        var ms = Math.Max(1, (int)Math.Min(remaining.TotalMilliseconds, 100));
        return !stop.WaitHandle.WaitOne(ms);
    }
}
