using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>docs/protocol.md §1.3: Required-mode authentication, entitlements and token expiry.</summary>
public sealed class AuthTests
{
    [Fact]
    public async Task RequiredMode_NoAuthenticate_OnlyPingAllowed_ThenClosed4005()
    {
        await using var server = await GatewayServer.StartAsync(RequiredAuth());
        var (client, welcome) = await ConnectAsync(server);
        await using var _ = client;
        Assert.Equal(300, welcome.AuthDeadlineMs);

        await client.SendAsync(Subscribe(1, "AAPL"));
        Assert.Equal(ErrorCode.AuthenticationRequired, (await ExpectErrorAsync(client, 1)).Code);
        await client.SendAsync(new PingRequest(2, 0));
        Assert.Equal(2, (await client.ExpectAsync<PongMessage>()).RequestId);

        Assert.Equal((int)CloseCode.AuthenticationTimeout, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task RequiredMode_AuthenticateWithForgedToken_Error2001ThenClosed4001()
    {
        await using var server = await GatewayServer.StartAsync(RequiredAuth());
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;
        var token = Token(server, "alice", TokenRole.Subscriber, ["*"]);
        var forged = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        await client.SendAsync(new AuthenticateRequest(1, forged));

        Assert.Equal(ErrorCode.InvalidToken, (await ExpectErrorAsync(client, 1)).Code);
        Assert.Equal((int)CloseCode.AuthenticationFailed, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task RequiredMode_AuthenticateMessage_GrantsEntitledSymbolsOnly()
    {
        await using var server = await GatewayServer.StartAsync(RequiredAuth());
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        await client.SendAsync(new AuthenticateRequest(1, Token(server, "alice", TokenRole.Subscriber, ["EUR*", "AAPL"])));
        var authenticated = await client.ExpectAsync<AuthenticatedMessage>();
        Assert.Equal(1, authenticated.RequestId);
        Assert.Equal("alice", authenticated.Subject);
        Assert.True(authenticated.ExpiresAtNs > 0);

        await SubscribeAsync(client, Subscribe(2, "EURUSD", "AAPL"));
        await SubscribeAsync(client, Subscribe(3, "EURG*"));
        await client.SendAsync(Subscribe(4, "MSFT"));
        var denied = await ExpectErrorAsync(client, 4);
        Assert.Equal(ErrorCode.NotEntitled, denied.Code);
        Assert.DoesNotContain("EUR", denied.Text, StringComparison.Ordinal);
        await client.SendAsync(Subscribe(5, "E*"));
        Assert.Equal(ErrorCode.NotEntitled, (await ExpectErrorAsync(client, 5)).Code);
        await client.SendAsync(Subscribe(6, "*"));
        Assert.Equal(ErrorCode.NotEntitled, (await ExpectErrorAsync(client, 6)).Code);
    }

    [Fact]
    public async Task TwoSessionsWithDifferentGrants_EachEntitledToItsOwnPatternsOnly()
    {
        // Parsed patterns are shared between sessions of one grant object (anonymous mode); sessions of
        // different grants, authenticated one after the other, must each keep their own. Bob waits for
        // Alice's round trip, so the authenticate deadline is not what this test is about.
        await using var server = await GatewayServer.StartAsync(RequiredAuth(new() { ["MarketStream:Auth:AuthenticateTimeout"] = "00:00:10" }));
        var (alice, _) = await ConnectAsync(server);
        await using var _a = alice;
        var (bob, _) = await ConnectAsync(server);
        await using var _b = bob;
        await alice.SendAsync(new AuthenticateRequest(1, Token(server, "alice", TokenRole.Subscriber, ["EUR*"])));
        await alice.ExpectAsync<AuthenticatedMessage>();
        await bob.SendAsync(new AuthenticateRequest(1, Token(server, "bob", TokenRole.Subscriber, ["AAPL"])));
        await bob.ExpectAsync<AuthenticatedMessage>();

        await SubscribeAsync(alice, Subscribe(2, "EURUSD"));
        await alice.SendAsync(Subscribe(3, "AAPL"));
        Assert.Equal(ErrorCode.NotEntitled, (await ExpectErrorAsync(alice, 3)).Code);
        await SubscribeAsync(bob, Subscribe(2, "AAPL"));
        await bob.SendAsync(Subscribe(3, "EURUSD"));
        Assert.Equal(ErrorCode.NotEntitled, (await ExpectErrorAsync(bob, 3)).Code);
    }

    [Fact]
    public async Task HandshakeToken_InSubprotocolOrQuery_AuthenticatedWithRequestId0()
    {
        await using var server = await GatewayServer.StartAsync(RequiredAuth());
        var token = Token(server, "bob", TokenRole.Subscriber, ["*"]);

        var (viaProtocol, welcome) = await ConnectAsync(server, [WireProtocol.SubProtocol, WireProtocol.TokenSubProtocolPrefix + token]);
        await using var _p = viaProtocol;
        Assert.Equal(0, welcome.AuthDeadlineMs);
        Assert.Equal(WireProtocol.SubProtocol, viaProtocol.Socket.SubProtocol);
        var authenticated = await viaProtocol.ExpectAsync<AuthenticatedMessage>();
        Assert.Equal(0, authenticated.RequestId);
        Assert.Equal("bob", authenticated.Subject);

        var (viaQuery, _) = await ConnectAsync(server, query: "access_token=" + token);
        await using var _q = viaQuery;
        await viaQuery.ExpectAsync<AuthenticatedMessage>();
        await SubscribeAsync(viaQuery, Subscribe(1, "AAPL"));
    }

    [Fact]
    public async Task TokenExpiringDuringSession_NoticeTokenExpiringThenClosed4002()
    {
        await using var server = await GatewayServer.StartAsync(RequiredAuth());
        var token = Token(server, "carol", TokenRole.Subscriber, ["*"], TimeSpan.FromSeconds(2));
        var (client, _) = await ConnectAsync(server, [WireProtocol.SubProtocol, WireProtocol.TokenSubProtocolPrefix + token]);
        await using var _ = client;

        var notice = await client.ExpectAsync<NoticeMessage>();
        Assert.Equal(NoticeCode.TokenExpiring, notice.Code);
        Assert.InRange(notice.Value, 1, 2000);

        Assert.Equal((int)CloseCode.TokenExpired, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task FreshAuthenticate_ExtendsTheSession()
    {
        await using var server = await GatewayServer.StartAsync(RequiredAuth());
        // JWT exp has whole-second precision: a 2 s token expires 1–2 s from now.
        var shortToken = Token(server, "dave", TokenRole.Subscriber, ["*"], TimeSpan.FromSeconds(2));
        var (client, _) = await ConnectAsync(server, [WireProtocol.SubProtocol, WireProtocol.TokenSubProtocolPrefix + shortToken]);
        await using var _ = client;

        await client.SendAsync(new AuthenticateRequest(1, Token(server, "dave", TokenRole.Subscriber, ["*"], TimeSpan.FromMinutes(5))));
        Assert.Equal(1, (await client.NextAsync(static m => m.Body is AuthenticatedMessage { RequestId: 1 })).Body is AuthenticatedMessage ? 1 : 0);

        Assert.Null(await client.WaitForCloseAsync(TimeSpan.FromSeconds(2.5)));
    }

    [Fact]
    public async Task AnonymousPatternsFromConfiguration_NarrowAnonymousAccess()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Auth:AnonymousPatterns:0"] = "EUR*",
        });
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        await SubscribeAsync(client, Subscribe(1, "EURUSD"));
        await client.SendAsync(Subscribe(2, "AAPL"));

        Assert.Equal(ErrorCode.NotEntitled, (await ExpectErrorAsync(client, 2)).Code);
    }
}
