namespace MarketStream.Feeds.Configuration;

/// <summary>The synthetic feed: a seeded random walk over the universe (docs/feeds.md §Synthetic feed).</summary>
public sealed class SyntheticFeedOptions
{
    /// <summary>Largest accepted <see cref="Rate"/>.</summary>
    public const double MaxRate = 100_000_000;

    /// <summary>Run the synthetic feed. Defaults to <c>true</c> (the embedded default stream).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Ticks per second across all symbols, paced by the clock; 0 publishes as fast as the ring
    /// accepts. Defaults to 1,000; 0 to 100,000,000.
    /// </summary>
    public double Rate { get; set; } = 1_000;

    /// <summary>
    /// Seed of the random walk: the same seed, universe and options give the same ticks (all
    /// fields but <c>ReceiveTimeNs</c>, and <c>ExchangeTimeNs</c> too when <see cref="StartTime"/>
    /// is set). Defaults to <c>null</c>: a new seed per run.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Exchange time of the first tick; later ticks advance by simulated inter-arrival times.
    /// Defaults to <c>null</c>: the wall clock when the feed starts.
    /// </summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>
    /// Ticks per second of simulated exchange time: sets the mean gap between exchange
    /// timestamps independently of the wall-clock pace (e.g. an unpaced run that records an hour
    /// of market). Defaults to <c>null</c>: <see cref="Rate"/>, or 1,000,000 when unpaced; positive when set.
    /// </summary>
    public double? SimulatedRate { get; set; }

    /// <summary>
    /// Open with one quote per symbol, in universe order and unpaced, before the random walk: every
    /// symbol has a last value from the start (a subscriber to a quiet symbol is not left waiting
    /// minutes for its first tick), and the engine sizes each symbol's history up front instead of
    /// whenever a quiet symbol first ticks. Defaults to <c>true</c>.
    /// </summary>
    public bool OpeningQuotes { get; set; } = true;

    /// <summary>Restrict the feed to these symbol names. Defaults to empty: the whole universe.</summary>
    public IList<string> Symbols { get; set; } = [];

    /// <summary>Share of ticks that are trades (the rest are quotes). Defaults to 0.2; 0 to 1.</summary>
    public double TradeRatio { get; set; } = 0.2;

    /// <summary>Share of symbols that are quiet (about 50× fewer ticks, never bursting). Defaults to 0.2; 0 to 1.</summary>
    public double QuietFraction { get; set; } = 0.2;

    /// <summary>Chance per tick that a burst starts on the chosen symbol (16–256 ticks mostly on that symbol). Defaults to 0.001; 0 to 1.</summary>
    public double BurstProbability { get; set; } = 0.001;

    /// <summary>Stop after this many ticks (the feed then completes). Defaults to 0: no limit.</summary>
    public long MaxTicks { get; set; }

    /// <summary>Largest <see cref="StartDelay"/>.</summary>
    public static readonly TimeSpan MaxStartDelay = TimeSpan.FromHours(1);

    /// <summary>
    /// Wait this long after the feed starts before the first tick, so a load test can connect and
    /// subscribe every client before the load begins. The feed is not reported stalled while it
    /// waits. Defaults to zero; 0 to 1 hour.
    /// </summary>
    public TimeSpan StartDelay { get; set; }

    /// <summary>Largest batch claimed from the ring at once. Defaults to 256; 1 to 65,536.</summary>
    public int BatchSize { get; set; } = 256;
}
