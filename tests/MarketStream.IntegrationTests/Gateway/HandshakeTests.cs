using System.Net;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using Microsoft.Extensions.Options;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>docs/protocol.md §1.2–1.3: refusals before the upgrade, and the Welcome that starts every session.</summary>
public sealed class HandshakeTests
{
    [Fact]
    public async Task Upgrade_WithoutSubprotocol_Refused400WithJsonBody()
    {
        await using var server = await GatewayServer.StartAsync();

        var (status, body) = await RawHandshakeAsync(server, protocols: null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"error":"unsupported_subprotocol","supported":["marketstream.v1"]}""", body);
    }

    [Fact]
    public async Task Upgrade_UnknownSubprotocol_Refused400()
    {
        await using var server = await GatewayServer.StartAsync();

        var (status, body) = await RawHandshakeAsync(server, protocols: "marketstream.v2");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("unsupported_subprotocol", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_DisallowedOrigin_Refused403_AllowedOriginAccepted()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:AllowedOrigins:0"] = "https://trader.example.com",
        });

        var (status, _) = await RawHandshakeAsync(server, WireProtocol.SubProtocol, origin: "https://evil.example.com");
        Assert.Equal(HttpStatusCode.Forbidden, status);

        await using var client = await ProtocolClient.ConnectAsync(server.WebSocketUri, origin: "https://trader.example.com");
        Assert.Equal(WireProtocol.SubProtocol, client.Socket.SubProtocol);
        Assert.IsType<WelcomeMessage>((await client.NextAsync()).Body);
    }

    [Fact]
    public async Task Upgrade_ForgedOrExpiredToken_Refused401()
    {
        await using var server = await GatewayServer.StartAsync(RequiredAuth());
        var forger = new TokenService(Options.Create(new AuthOptions { SigningKey = Convert.ToBase64String(new byte[32]) }));
        var forged = forger.Issue("mallory", TokenRole.Admin, ["*"], TimeSpan.FromMinutes(5));
        var expired = Token(server, "alice", TokenRole.Subscriber, ["*"], TimeSpan.FromMinutes(1), new ShiftedClock(TimeSpan.FromHours(-1)));

        var (forgedStatus, forgedBody) = await RawHandshakeAsync(server, $"{WireProtocol.SubProtocol}, {WireProtocol.TokenSubProtocolPrefix}{forged}");
        var (expiredStatus, expiredBody) = await RawHandshakeAsync(server, WireProtocol.SubProtocol, query: "access_token=" + expired);

        Assert.Equal(HttpStatusCode.Unauthorized, forgedStatus);
        Assert.Contains("invalid_token", forgedBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, expiredStatus);
        Assert.Contains("token_expired", expiredBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Welcome_AnnouncesConfiguredLimits_AndNoAuthDeadlineInAnonymousMode()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:MaxInboundMessageBytes"] = "4096",
            ["MarketStream:Gateway:MaxSubscriptionsPerConnection"] = "7",
            ["MarketStream:Gateway:MaxInboundMessagesPerSecond"] = "50",
            ["MarketStream:Gateway:InboundBurst"] = "60",
            ["MarketStream:Gateway:MaxFrameBytes"] = "65536",
        });

        var (client, welcome) = await ConnectAsync(server);
        await using var _ = client;

        Assert.Equal(WireProtocol.Version, welcome.Version);
        Assert.StartsWith("s-", welcome.SessionId, StringComparison.Ordinal);
        Assert.Equal(0, welcome.AuthDeadlineMs);
        Assert.Equal(4096, welcome.MaxMessageBytes);
        Assert.Equal(7, welcome.MaxSubscriptions);
        Assert.Equal(50, welcome.MaxMessagesPerSecond);
        Assert.Equal(65536, welcome.MaxFrameBytes);
        Assert.Equal(200, welcome.HeartbeatIntervalMs);
        Assert.InRange(welcome.ServerTimeNs, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() * 1_000_000, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds() * 1_000_000);
        // Heartbeats follow at the announced interval.
        var heartbeat = await client.ExpectAsync<HeartbeatMessage>(TimeSpan.FromSeconds(2));
        Assert.True(heartbeat.ServerTimeNs > 0);
    }
}
