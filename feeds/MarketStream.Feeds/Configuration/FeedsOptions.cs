using MarketStream.Feeds.Validation;

namespace MarketStream.Feeds.Configuration;

/// <summary>
/// Which feeds run and how; bound from <c>MarketStream:Feeds</c> (<see cref="SectionName"/>) and
/// checked at start-up by <see cref="FeedsOptionsValidator"/>. Each feed kind has its own
/// <c>Enabled</c> switch (a bound list would append to its defaults instead of replacing them).
/// </summary>
public sealed class FeedsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MarketStream:Feeds";

    /// <summary>
    /// Path of the universe file (docs/feeds.md §Universe). Defaults to <c>null</c>: the universe
    /// embedded in the feeds assembly (a copy of <c>feeds/data/universe.csv</c>).
    /// </summary>
    public string? UniversePath { get; set; }

    /// <summary>The synthetic feed (enabled by default).</summary>
    public SyntheticFeedOptions Synthetic { get; set; } = new();

    /// <summary>The replay feed (disabled by default).</summary>
    public ReplayFeedOptions Replay { get; set; } = new();

    /// <summary>The ingest endpoint (disabled by default).</summary>
    public IngestFeedOptions Ingest { get; set; } = new();

    /// <summary>Restart and stall supervision.</summary>
    public FeedSupervisorOptions Supervisor { get; set; } = new();

    /// <summary>Checks applied to replayed and ingested ticks.</summary>
    public TickValidationOptions Validation { get; set; } = new();
}
