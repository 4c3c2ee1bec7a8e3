using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.BadInput;

/// <summary>
/// docs/protocol.md §4–§5: well-formed requests the server must refuse. Every case: the documented
/// Error echoing the request id, logged once (RequestRefused, event 130), no Malformed line, the session
/// still served, the healthy client unaffected.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class RequestRefusalTests(BadInputServer fixture)
{
    public static TheoryData<string> Names => [.. Cases.Keys];

    /// <summary>
    /// Name → (token patterns, requests that set the case up, the request refused, its code, whether the
    /// decoder refuses it — then it is also logged once as Malformed, event 104). Every Subscribe entry is
    /// read as a pattern, so a bad entry is 1007 whether or not it holds a <c>*</c> (docs/operations.md).
    /// </summary>
    private static readonly Dictionary<string, (string[]? Patterns, ClientMessage[] Setup, ClientMessage Request, ErrorCode Code, bool Decoder)> Cases = new()
    {
        ["subscribe entry with a space"] = (null, [], Subscribe(10, "BAD SYMBOL"), ErrorCode.InvalidPattern, true),
        ["subscribe entry of 33 characters"] = (null, [], Subscribe(10, new string('A', 33)), ErrorCode.InvalidPattern, true),
        ["subscribe entry with a control character"] = (null, [], Subscribe(10, "AA\u0001PL"), ErrorCode.InvalidPattern, true),
        ["pattern with a ?"] = (null, [], Subscribe(10, "EUR?*"), ErrorCode.InvalidPattern, true),
        ["pattern of 33 characters"] = (null, [], Subscribe(10, new string('A', 32) + "*"), ErrorCode.InvalidPattern, true),
        ["empty subscribe entry"] = (null, [], Subscribe(10, ""), ErrorCode.InvalidPattern, true),
        ["snapshot of a name with a space"] = (null, [], new SnapshotRequest(10, "BAD SYMBOL"), ErrorCode.InvalidSymbol, true),
        ["snapshot of a pattern"] = (null, [], new SnapshotRequest(10, "EUR*"), ErrorCode.InvalidSymbol, true),
        ["resume position with an invalid name"] = (null, [], new SubscribeRequest(10, ["AAPL"], SubscriptionMode.Full, 0, 0, [new ResumePosition("<script>", 1, 1)]), ErrorCode.InvalidSymbol, true),
        ["unknown symbol"] = (null, [], Subscribe(10, "NOSUCH"), ErrorCode.UnknownSymbol, false),
        ["pattern matching nothing"] = (null, [], Subscribe(10, "ZZZ*"), ErrorCode.UnknownSymbol, false),
        ["duplicate subscribe id"] = (null, [Subscribe(10, "AAPL")], Subscribe(10, "MSFT"), ErrorCode.DuplicateSubscription, false),
        ["unsubscribe of an unknown id"] = (null, [], new UnsubscribeRequest(10, 99), ErrorCode.UnknownSubscription, false),
        ["unsubscribe twice"] = (null, [Subscribe(10, "AAPL"), new UnsubscribeRequest(11, 10)], new UnsubscribeRequest(12, 10), ErrorCode.UnknownSubscription, false),
        ["snapshot of a symbol not subscribed"] = (null, [], new SnapshotRequest(10, "AAPL"), ErrorCode.NotSubscribed, false),
        ["snapshot of an unknown symbol"] = (null, [], new SnapshotRequest(10, "NOSUCH"), ErrorCode.NotSubscribed, false),
        ["subscribe beyond the token's entitlement"] = (["EUR*"], [], Subscribe(10, "AAPL"), ErrorCode.NotEntitled, false),
        ["wildcard wider than the entitlement"] = (["EUR*"], [], Subscribe(10, "*"), ErrorCode.NotEntitled, false),
        ["ingest over /ws with a subscriber token"] = (null, [], new IngestTicksRequest(10, [IngestTestClient.Quote("AAPL", 1, 100, 1, 101, 1)]), ErrorCode.IngestNotPermitted, false),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Request_Refused_DocumentedErrorLoggedOnce_SessionServed_HealthyUnaffected(string name)
    {
        var (patterns, setup, request, code, decoder) = Cases[name];
        var since = HealthyClientMonitor.Now;
        var (attacker, sessionId) = await fixture.ConnectAsync(patterns);
        await using var _ = attacker;
        foreach (var step in setup)
        {
            await attacker.SendAsync(step);
            await attacker.NextAsync(m => m.Body is SubscribeAckMessage or UnsubscribeAckMessage);
        }

        await attacker.SendAsync(request);

        var error = await attacker.NextAsync(static m => m.Body is ErrorMessage);
        Assert.Equal(code, ((ErrorMessage)error.Body!).Code);
        Assert.Equal(request.RequestId, ((ErrorMessage)error.Body!).RequestId);
        await BadInputServer.AssertStillServedAsync(attacker);
        await fixture.AssertRefusalLoggedOnceAsync(sessionId, code);
        if (decoder)
        {
            await fixture.AssertLoggedOnceAsync(104, sessionId, "Malformed");
        }
        else
        {
            Assert.Empty(fixture.Logs.Find(104, "SessionId", sessionId));
        }

        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task RequestBeforeAuthenticate_Error2000_ThenDeadlineCloses4005_EachLoggedOnce()
    {
        var since = HealthyClientMonitor.Now;
        var (client, welcome) = await ConnectAsync(fixture.Server);
        await using var _ = client;
        Assert.True(welcome.AuthDeadlineMs > 0);

        await client.SendAsync(Subscribe(3, "AAPL"));

        var error = await ExpectErrorAsync(client, 3);
        Assert.Equal(ErrorCode.AuthenticationRequired, error.Code);
        Assert.Equal((int)CloseCode.AuthenticationTimeout, await client.WaitForCloseAsync());
        await fixture.AssertRefusalLoggedOnceAsync(welcome.SessionId, ErrorCode.AuthenticationRequired);
        await fixture.AssertLoggedOnceAsync(110, welcome.SessionId, "AuthenticationTimedOut");
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Theory]
    [InlineData("forged", ErrorCode.InvalidToken)]
    [InlineData("expired", ErrorCode.TokenExpired)]
    [InlineData("garbage", ErrorCode.InvalidToken)]
    public async Task Authenticate_BadToken_ErrorThenClosed4001_LoggedOnce(string kind, ErrorCode expected)
    {
        var since = HealthyClientMonitor.Now;
        var token = kind switch
        {
            "forged" => ForgedToken(),
            "expired" => fixture.Token("alice", TokenRole.Subscriber, ["*"], TimeSpan.FromMinutes(1), new ShiftedClock(TimeSpan.FromHours(-1))),
            _ => "not.a.jwt",
        };
        var (client, welcome) = await ConnectAsync(fixture.Server);
        await using var _ = client;

        await client.SendAsync(new AuthenticateRequest(4, token));

        Assert.Equal(expected, (await ExpectErrorAsync(client, 4)).Code);
        Assert.Equal((int)CloseCode.AuthenticationFailed, await client.WaitForCloseAsync());
        await fixture.AssertLoggedOnceAsync(111, welcome.SessionId, "AuthenticationFailed");
        await fixture.AssertRefusalLoggedOnceAsync(welcome.SessionId, expected);
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    /// <summary>A well-formed token signed with a key the server does not hold, claiming the admin role.</summary>
    internal static string ForgedToken() =>
        new TokenService(Microsoft.Extensions.Options.Options.Create(new AuthOptions { SigningKey = Convert.ToBase64String(new byte[32]) }))
            .Issue("mallory", TokenRole.Admin, ["*"], TimeSpan.FromMinutes(5));
}
