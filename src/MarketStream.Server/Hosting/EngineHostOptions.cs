namespace MarketStream.Server.Hosting;

/// <summary>
/// The tick pipeline of one node, bound from <c>MarketStream:Engine</c> and validated at start-up.
/// </summary>
public sealed class EngineHostOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "MarketStream:Engine";

    /// <summary>Slots in the tick ring; a power of two, 1,024 – 4,194,304. Defaults to 65,536.</summary>
    public int RingSize { get; set; } = 1 << 16;

    /// <summary>How ring stages wait. Defaults to <see cref="WaitStrategyKind.Blocking"/>, right for a shared 2-core box.</summary>
    public WaitStrategyKind WaitStrategy { get; set; } = WaitStrategyKind.Blocking;

    /// <summary>Recent updates kept per symbol for resume; a power of two, 16 – 65,536. Defaults to 1,024.</summary>
    public int HistoryDepth { get; set; } = 1024;

    /// <summary>
    /// Epoch of locally sequenced streams. Defaults to 0, meaning "the start time in Unix
    /// milliseconds", so every restart starts a new epoch and clients get a reset, never silently
    /// continued sequences (docs/protocol.md §2.4).
    /// </summary>
    public long StartEpoch { get; set; }
}
