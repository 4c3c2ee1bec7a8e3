namespace MarketStream.Server.Sse;

/// <summary>
/// The Server-Sent Events fallback (<c>GET /sse</c>, docs/sse.md), bound from <c>MarketStream:Sse</c>
/// and validated at start-up by <see cref="SseOptionsValidator"/>. Connection and symbol limits are
/// shared with the WebSocket gateway (<c>MarketStream:Gateway</c>).
/// </summary>
public sealed class SseOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "MarketStream:Sse";

    /// <summary>Serve <c>GET /sse</c>. Defaults to true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Most symbols one SSE stream may cover. Lower than the WebSocket limit because every event id
    /// carries a position per symbol and comes back as the <c>Last-Event-ID</c> header on reconnect
    /// (docs/sse.md, event ids). Defaults to 1,000; 1 – 5,000 (and never more than
    /// <c>MarketStream:Gateway:MaxSymbolsPerConnection</c>).
    /// </summary>
    public int MaxSymbols { get; set; } = 1_000;

    /// <summary>Period of <c>heartbeat</c> events, which also keep proxies from closing an idle stream. Defaults to 15 s; 100 ms – 5 min.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconnect delay suggested to browsers with the SSE <c>retry:</c> field. Defaults to 2 s; 0 – 5 min.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest chunk of events written and flushed at once; one event always fits. Defaults to 64 KiB; 4 KiB – 4 MiB.</summary>
    public int MaxBatchBytes { get; set; } = 64 * 1024;
}
