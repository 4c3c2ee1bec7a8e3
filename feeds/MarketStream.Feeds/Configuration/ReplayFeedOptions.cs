using MarketStream.Feeds.Replay;

namespace MarketStream.Feeds.Configuration;

/// <summary>The replay feed: plays a recorded CSV or binary tick file (docs/feeds.md §Replay).</summary>
public sealed class ReplayFeedOptions
{
    /// <summary>Largest accepted <see cref="Speed"/>.</summary>
    public const double MaxSpeed = 1_000_000;

    /// <summary>Run the replay feed. Defaults to <c>false</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The file to play. Defaults to <c>null</c>; required (and must exist) when enabled.</summary>
    public string? Path { get; set; }

    /// <summary>File format. Defaults to <see cref="TickFileFormat.Auto"/> (by extension: <c>.csv</c> or <c>.mstk</c>).</summary>
    public TickFileFormat Format { get; set; } = TickFileFormat.Auto;

    /// <summary>
    /// Playback speed against the recorded exchange timestamps: 1 is recorded pace, 10 is ten
    /// times faster, 0 is as fast as the ring accepts. Defaults to 1; 0 to 1,000,000.
    /// </summary>
    public double Speed { get; set; } = 1;

    /// <summary>Start again at the end, shifting exchange times so they keep increasing. Defaults to <c>false</c>.</summary>
    public bool Loop { get; set; }

    /// <summary>Largest batch claimed from the ring at once. Defaults to 256; 1 to 65,536.</summary>
    public int BatchSize { get; set; } = 256;
}
