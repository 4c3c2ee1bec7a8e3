namespace MarketStream.Feeds.Configuration;

/// <summary>
/// The ingest endpoint, where external publishers push ticks over an authenticated WebSocket.
/// The endpoint lives in the server; these options say whether it runs and its limits.
/// </summary>
public sealed class IngestFeedOptions
{
    /// <summary>Accept ticks from external publishers. Defaults to <c>false</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Most ticks one publisher message may carry. Defaults to 1,024; 1 to 65,536.</summary>
    public int MaxTicksPerMessage { get; set; } = 1_024;

    /// <summary>Largest publisher message in bytes. Defaults to 1 MiB; 1 KiB to 64 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Ticks one publisher connection may send per second, with a burst of one second's worth;
    /// ticks beyond the budget are refused one by one with reject code 10 <c>RateLimited</c>
    /// (docs/protocol.md §5.1) so the publisher knows exactly which to send again. Every tick
    /// counts, valid or not. Defaults to 0 (unlimited: a full ring already slows a publisher down);
    /// 0 to 100,000,000. Set it to share the ring fairly between publishers.
    /// </summary>
    public int MaxTicksPerSecond { get; set; }
}
