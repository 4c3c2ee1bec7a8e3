using MarketStream.Core.Sessions;

namespace MarketStream.Server.Gateway;

/// <summary>
/// WebSocket gateway limits and timings, bound from <c>MarketStream:Gateway</c> and validated at
/// start-up by <see cref="GatewayOptionsValidator"/>. Every limit is enforced with the stable error
/// or close code that docs/operations.md lists beside it.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "MarketStream:Gateway";

    /// <summary>Largest inbound (client → server) message in bytes (Welcome <c>maxMessageBytes</c>). Defaults to 64 KiB; 256 B – 1 MiB.</summary>
    public int MaxInboundMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Largest outbound frame in bytes; the writer packs updates up to this (Welcome <c>maxFrameBytes</c>). Defaults to 256 KiB; 4 KiB – 4 MiB.</summary>
    public int MaxFrameBytes { get; set; } = 256 * 1024;

    /// <summary>Active subscriptions (subscribe request ids) per connection (Welcome <c>maxSubscriptions</c>; error 3000). Defaults to 64; 1 – 10,000.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 64;

    /// <summary>Symbols one connection may be subscribed to at once, a pattern counting each symbol it covers (error 3002). Defaults to 10,000; 1 – 1,000,000.</summary>
    public int MaxSymbolsPerConnection { get; set; } = 10_000;

    /// <summary>Sustained inbound messages per second per connection (Welcome <c>maxMessagesPerSecond</c>; error 3001, then close 4004). Defaults to 100; 1 – 10,000.</summary>
    public int MaxInboundMessagesPerSecond { get; set; } = 100;

    /// <summary>Inbound burst allowance above the sustained rate. Defaults to 200; at least the per-second rate.</summary>
    public int InboundBurst { get; set; } = 200;

    /// <summary>Open connections in total. Defaults to 200,000; 1 – 10,000,000.</summary>
    public int MaxConnections { get; set; } = 200_000;

    /// <summary>Open connections per client IP address. Defaults to 30,000; 1 – MaxConnections.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 30_000;

    /// <summary>Application heartbeat period (carries lag and queue figures). Defaults to 5 s; 100 ms – 60 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Silence from the client after which the server sends a WebSocket ping (RFC 6455 §5.5.2). Defaults to 15 s; 1 s – 5 min.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a ping may go unanswered: a client that sends nothing, not even a pong, for
    /// KeepAliveInterval + KeepAliveTimeout is closed with 4006 (docs/protocol.md §6). Defaults to 30 s;
    /// at least KeepAliveInterval and at least 2 s, at most 10 min.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The WebSocket's own pong timeout. It only aborts (the client would see 1006), so when the session tracks
    /// every byte received it is set longer and the session closes a silent client first with 4006
    /// (docs/protocol.md §6); without that tracking it is the only guard.
    /// </summary>
    internal TimeSpan WebSocketPongTimeout(bool receiveTracked) =>
        receiveTracked ? KeepAliveTimeout * 2 + KeepAliveInterval : KeepAliveTimeout;

    /// <summary>Updates a full-mode subscription may have queued before its overflow policy applies. Defaults to 4,096; 16 – 1,000,000.</summary>
    public int FullModeQueueCapacity { get; set; } = 4_096;

    /// <summary>
    /// What a full-mode subscription does when the session's queue (<see cref="FullModeQueueCapacity"/>) overflows:
    /// <see cref="OverflowPolicy.Degrade"/> switches it to conflated delivery with Notice 1 (docs/protocol.md §4.16);
    /// <see cref="OverflowPolicy.Close"/> sends Notice 3 and closes the session with 4000. Defaults to Degrade.
    /// </summary>
    public OverflowPolicy FullModeOverflow { get; set; } = OverflowPolicy.Degrade;

    /// <summary>Lag (age of the oldest unsent update) at which a slow-consumer warning (Notice 3) is sent. Defaults to 2 s; 10 ms – 10 min.</summary>
    public TimeSpan SlowConsumerWarnLag { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Lag at which a session is closed as a slow consumer (close 4000), in any mode; also the longest a single
    /// frame send may block before the connection is aborted. Defaults to 10 s; above SlowConsumerWarnLag.
    /// </summary>
    public TimeSpan SlowConsumerCloseLag { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>TCP_NOTSENT_LOWAT</c> of every accepted socket (Linux; ignored elsewhere): the kernel takes more bytes
    /// from the server only while less than this is still waiting to be sent. It bounds what a client that
    /// stopped reading leaves in the kernel's send buffer, so the rest waits in its outbox where conflation
    /// merges it. It limits unsent bytes only, not bytes in flight: a fast client on a long link still gets a
    /// full, autotuned congestion window. Defaults to 16 KiB; 0 = not set (the kernel's
    /// <c>net.ipv4.tcp_notsent_lowat</c>, unlimited by default), else 1 KiB – 16 MiB.
    /// </summary>
    public int SocketNotSentLowWaterBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// <c>SO_SNDBUF</c> of every accepted socket. It caps bytes in flight plus unsent bytes, so it caps a
    /// client's throughput at about this ÷ round-trip time; leave it to the kernel unless memory must be
    /// bounded even for clients that keep acknowledging slowly. Defaults to 0 = the kernel's autotuning
    /// (up to <c>net.ipv4.tcp_wmem</c>'s maximum); else 4 KiB – 64 MiB (Linux doubles the value for bookkeeping).
    /// </summary>
    public int SocketSendBufferBytes { get; set; }

    /// <summary>On shutdown, how long sessions get to flush before the process exits. Defaults to 5 s; 0 – 60 s.</summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Upgrade a connection whose first request is the <c>/ws</c> handshake on Kestrel's transport rather than
    /// through an HTTP request (docs/architecture.md, "Direct upgrade"): ~6 KB less per connection and no HTTP/1.1
    /// output pipe under every frame. Same protocol, limits and refusals either way. Defaults to true.
    /// </summary>
    public bool DirectUpgrade { get; set; } = true;

    /// <summary>
    /// Origins (scheme://host[:port], exact match) allowed to open WebSockets in addition to the
    /// server's own origin. Requests without an Origin header (non-browser clients) are allowed.
    /// Defaults to empty.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();
}
