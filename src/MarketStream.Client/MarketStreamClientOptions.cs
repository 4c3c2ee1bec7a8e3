using MarketStream.Protocol;

namespace MarketStream.Client;

/// <summary>Settings of a <see cref="MarketStreamClient"/>. Validated by the client's constructor.</summary>
public sealed class MarketStreamClientOptions
{
    /// <summary>The server's WebSocket endpoint, e.g. <c>ws://127.0.0.1:5000/ws</c> (<c>wss://</c> in production). Required.</summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// Bearer token (JWT), sent as the subprotocol entry <c>marketstream.token.&lt;jwt&gt;</c>
    /// (docs/protocol.md §1.3). Defaults to null: no token (the server must run in anonymous mode).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Subprotocol offered in the handshake. Defaults to <c>marketstream.v1</c>; only a test of refusals would change it.</summary>
    public string SubProtocol { get; set; } = WireProtocol.SubProtocol;

    /// <summary>Time allowed for the TCP connect and WebSocket upgrade. Defaults to 10 s; 100 ms – 5 min.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed from the upgrade to a usable session (Welcome read). Defaults to 10 s; 100 ms – 5 min.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a subscribe or unsubscribe waits for its answer (across reconnects). Defaults to 30 s; 100 ms – 1 h.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reconnect after the connection drops. Defaults to true.</summary>
    public bool Reconnect { get; set; } = true;

    /// <summary>First reconnect delay; doubled per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter. Defaults to 100 ms; 1 ms – 1 min.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest reconnect delay. Defaults to 10 s; at least <see cref="ReconnectMinDelay"/>, at most 10 min.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bound of the event channel (<see cref="MarketStreamClient.Events"/>). When it is full the receive loop
    /// stops reading the socket until the consumer catches up: TCP backpressure makes the server conflate
    /// (conflated subscriptions get Merged updates) or degrade/close full-mode subscriptions — the client's
    /// memory never grows. Defaults to 8,192 events; 16 – 1,048,576.
    /// </summary>
    public int EventCapacity { get; set; } = 8192;

    /// <summary>
    /// Socket receive buffer in bytes (SO_RCVBUF). Defaults to null: the OS default (auto-tuned, often MBs).
    /// A small buffer makes a slow consumer reach the server's conflation sooner (less stale data in flight). 1 KiB – 64 MiB.
    /// </summary>
    public int? ReceiveBufferBytes { get; set; }

    internal void Validate()
    {
        if (Url is null)
        {
            throw new ArgumentException("MarketStreamClientOptions.Url is required (e.g. ws://127.0.0.1:5000/ws).");
        }

        if (Url.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException($"MarketStreamClientOptions.Url must be a ws:// or wss:// URL; got '{Url}'.");
        }

        if (string.IsNullOrWhiteSpace(SubProtocol))
        {
            throw new ArgumentException("MarketStreamClientOptions.SubProtocol must not be empty.");
        }

        Check(ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), nameof(ConnectTimeout));
        Check(HandshakeTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), nameof(HandshakeTimeout));
        Check(RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), nameof(RequestTimeout));
        Check(ReconnectMinDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), nameof(ReconnectMinDelay));
        Check(ReconnectMaxDelay, ReconnectMinDelay, TimeSpan.FromMinutes(10), nameof(ReconnectMaxDelay));
        if (EventCapacity is < 16 or > 1 << 20)
        {
            throw new ArgumentException($"MarketStreamClientOptions.EventCapacity must be 16–1048576; got {EventCapacity}.");
        }

        if (ReceiveBufferBytes is < 1024 or > 64 << 20)
        {
            throw new ArgumentException($"MarketStreamClientOptions.ReceiveBufferBytes must be 1 KiB – 64 MiB; got {ReceiveBufferBytes}.");
        }
    }

    private static void Check(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"MarketStreamClientOptions.{name} must be {min} – {max}; got {value}.");
        }
    }
}
