namespace MarketStream.Feeds.Configuration;

/// <summary>How the <see cref="Hosting.FeedHost"/> watches and restarts its feeds.</summary>
public sealed class FeedSupervisorOptions
{
    /// <summary>
    /// A feed that should produce continuously and published nothing for this long is reported
    /// stalled. Defaults to 5 seconds; must be positive.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often rates are computed and stalls checked. Defaults to 1 second; positive and at most <see cref="StallTimeout"/>.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Back-off before the first restart of a failed feed; doubles per consecutive failure. Defaults to 200 ms; not negative.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest back-off between restarts. Defaults to 30 seconds; at least <see cref="RestartDelay"/>.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Consecutive failures after which a feed is left faulted instead of restarted (a run that
    /// lasted longer than <see cref="MaxRestartDelay"/> resets the count). Defaults to 10; 0 never restarts.
    /// </summary>
    public int MaxConsecutiveRestarts { get; set; } = 10;
}
