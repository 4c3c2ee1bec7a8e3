namespace MarketStream.SignalRBaseline;

/// <summary>The baseline's feed settings, bound from <c>Baseline</c>; the same meaning as MarketStream's synthetic feed options.</summary>
internal sealed class BaselineOptions
{
    public const string SectionName = "Baseline";

    /// <summary>Ticks per second across all symbols. Defaults to 1,000 (MarketStream's default).</summary>
    public double Rate { get; set; } = 1_000;

    /// <summary>Random-walk seed; the load tool passes the same one to both servers. Defaults to 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Seconds to wait before the first tick (MarketStream's <c>Synthetic:StartDelay</c>): the load tool connects every client first. Defaults to 0; 0 to 3,600.</summary>
    public double StartDelaySeconds { get; set; }

    /// <summary>How long a silent client is kept (SignalR's <c>ClientTimeoutInterval</c>); the load tool passes MarketStream's keep-alive timeout. Defaults to 30 s (SignalR's default).</summary>
    public double ClientTimeoutSeconds { get; set; } = 30;
}
