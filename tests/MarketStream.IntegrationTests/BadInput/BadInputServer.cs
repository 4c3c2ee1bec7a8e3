using System.Net.WebSockets;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using MarketStream.IntegrationTests.Gateway;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.BadInput;

/// <summary>
/// One real server for the whole bad-input suite (a collection fixture, so the cases run one after
/// another against it): Required auth, one allowed origin, ingest enabled, a 1 s handshake header
/// timeout and idle-connection timeout, and a healthy full-mode client on every symbol reading all along. Every case asserts
/// that this client lost nothing and was not held up (<see cref="HealthyClientMonitor"/>).
/// </summary>
public sealed class BadInputServer : IAsyncLifetime
{
    public const string AllowedOrigin = "https://trader.example.com";

    public static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(1);

    public RunningServer Server { get; private set; } = null!;

    public LogCapture Logs { get; } = new();

    public HealthyClientMonitor Healthy { get; private set; } = null!;

    public Uri IngestUri => IngestTestClient.IngestUri(Server);

    public async ValueTask InitializeAsync()
    {
        Server = await GatewayServer.StartAsync(RequiredAuth(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:AllowedOrigins:0"] = AllowedOrigin,
            ["MarketStream:Feeds:Ingest:Enabled"] = "true",
            ["Kestrel:Limits:RequestHeadersTimeout"] = HeaderTimeout.ToString(),
            ["Kestrel:Limits:KeepAliveTimeout"] = HeaderTimeout.ToString(),
        }), configure: Logs.Install);
        Healthy = await HealthyClientMonitor.StartAsync(Server.WebSocketUri, WithToken(Token("healthy", TokenRole.Subscriber, ["*"])));
    }

    public string Token(string subject, TokenRole role, string[] patterns, TimeSpan? lifetime = null, TimeProvider? clock = null) =>
        GatewayTestKit.Token(Server, subject, role, patterns, lifetime, clock);

    public static string[] WithToken(string token) => [WireProtocol.SubProtocol, WireProtocol.TokenSubProtocolPrefix + token];

    /// <summary>An attacker with a valid subscriber token on <paramref name="patterns"/> (all symbols by default), Welcome and Authenticated read.</summary>
    public async Task<(ProtocolClient Client, string SessionId)> ConnectAsync(string[]? patterns = null)
    {
        var (client, welcome) = await GatewayTestKit.ConnectAsync(Server, WithToken(Token("attacker", TokenRole.Subscriber, patterns ?? ["*"])));
        await client.ExpectAsync<AuthenticatedMessage>();
        return (client, welcome.SessionId);
    }

    /// <summary>Asserts the server logged event <paramref name="eventId"/> for <paramref name="sessionId"/> exactly once.</summary>
    public async Task AssertLoggedOnceAsync(int eventId, string sessionId, string? name = null)
    {
        var entries = await Logs.WaitForAsync(eventId, "SessionId", sessionId);
        Assert.True(entries.Count == 1, $"event {eventId} for {sessionId} logged {entries.Count} times: {string.Join(" | ", entries)}");
        if (name is not null)
        {
            Assert.Equal(name, entries[0].EventId.Name);
        }
    }

    /// <summary>Asserts the session was refused <paramref name="code"/> in exactly one Error log line (event 130, RequestRefused).</summary>
    public async Task AssertRefusalLoggedOnceAsync(string sessionId, ErrorCode code)
    {
        var entries = (await Logs.WaitForAsync(130, "SessionId", sessionId)).Where(e => Equals(e.Field("ErrorCode"), (int)code)).ToList();
        Assert.True(entries.Count == 1, $"error {(int)code} for {sessionId} logged {entries.Count} times");
        Assert.Equal("RequestRefused", entries[0].EventId.Name);
    }

    /// <summary>The session is still served: a Ping is answered.</summary>
    public static async Task AssertStillServedAsync(ProtocolClient client)
    {
        var id = client.NextRequestId();
        await client.SendAsync(new PingRequest(id, 1));
        Assert.Equal(id, (await client.ExpectAsync<PongMessage>()).RequestId);
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }

    public async ValueTask DisposeAsync()
    {
        await Healthy.DisposeAsync();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BadInputCollection : ICollectionFixture<BadInputServer>
{
    public const string Name = "BadInput";
}
