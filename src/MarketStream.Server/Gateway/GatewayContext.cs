using MarketStream.Core.Sessions;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using MarketStream.Server.Hosting;
using MarketStream.Server.Operations;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Gateway;

/// <summary>What every <see cref="GatewaySession"/> shares: options, engine, tokens, metrics, clock, connection limits. A singleton.</summary>
internal sealed class GatewayContext(
    IOptions<GatewayOptions> options,
    IOptions<AuthOptions> auth,
    EngineHost host,
    TokenService tokens,
    GatewayMetrics metrics,
    TimeProvider time,
    ConnectionLimiter limiter,
    ILoggerFactory loggers)
{
    private long _nextSessionId;

    public GatewayOptions Options { get; } = options.Value;

    public AuthOptions Auth { get; } = auth.Value;

    public EngineHost Host { get; } = host;

    public TokenService Tokens { get; } = tokens;

    public GatewayMetrics Metrics { get; } = metrics;

    public TimeProvider Time { get; } = time;

    /// <summary>The deadlines a session's timer enforces while its writer is blocked in a send.</summary>
    public SessionDeadlines Deadlines { get; } = new(time, options.Value);

    /// <summary>Open sessions per address and in total; a session gives its slot back when it ends.</summary>
    public ConnectionLimiter Limiter { get; } = limiter;

    public ILogger Logger { get; } = loggers.CreateLogger<GatewaySession>();

    /// <summary>Client input limits (docs/protocol.md §7) with the configured message size.</summary>
    public DecoderLimits DecoderLimits { get; } = new() { MaxMessageBytes = options.Value.MaxInboundMessageBytes };

    public OutboxOptions OutboxOptions { get; } = new()
    {
        FullQueueCapacity = Math.Min(options.Value.FullModeQueueCapacity, 1 << 20),
        MaxSubscriptions = Math.Min(options.Value.MaxSymbolsPerConnection, 1 << 20),
    };

    /// <summary>Session ids are short and unique per process; they appear in Welcome, logs and the admin view.</summary>
    public string NextSessionId() => "s-" + Interlocked.Increment(ref _nextSessionId).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    public long UnixNanos() => Model.UnixNanos.Now(Time);
}
