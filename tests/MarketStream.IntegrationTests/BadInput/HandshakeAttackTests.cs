using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.BadInput;

/// <summary>
/// docs/protocol.md §1.2–1.3, docs/operations.md: handshakes refused before the upgrade (HTTP status,
/// logged once as HandshakeRefused, event 200), publishers without the role on /ingest, and slowloris
/// connections that never finish their headers (cut by Kestrel's RequestHeadersTimeout, or KeepAliveTimeout before the first byte). The healthy
/// client is unaffected by each.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class HandshakeAttackTests(BadInputServer fixture)
{
    public static TheoryData<string, string?, string?, string?, HttpStatusCode, string> Refusals => new()
    {
        // case, Sec-WebSocket-Protocol, Origin, query → status, logged reason
        { "no subprotocol", null, null, null, HttpStatusCode.BadRequest, "subprotocol" },
        { "unknown subprotocol only", "marketstream.v2", null, null, HttpStatusCode.BadRequest, "subprotocol" },
        { "token entry without marketstream.v1", "marketstream.token.abc", null, null, HttpStatusCode.BadRequest, "subprotocol" },
        { "disallowed origin", WireProtocol.SubProtocol, "https://evil.example.com", null, HttpStatusCode.Forbidden, "origin" },
        { "forged token in the subprotocol", "forged", null, null, HttpStatusCode.Unauthorized, "invalid_token" },
        { "garbage token in the query", WireProtocol.SubProtocol, null, "access_token=not.a.jwt", HttpStatusCode.Unauthorized, "invalid_token" },
        { "expired token in the query", WireProtocol.SubProtocol, null, "expired", HttpStatusCode.Unauthorized, "token_expired" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Handshake_Refused_DocumentedStatus_LoggedOnce_HealthyUnaffected(string name, string? protocols, string? origin, string? query, HttpStatusCode status, string reason)
    {
        Assert.NotNull(name);
        var since = HealthyClientMonitor.Now;
        if (protocols == "forged")
        {
            protocols = $"{WireProtocol.SubProtocol}, {WireProtocol.TokenSubProtocolPrefix}{RequestRefusalTests.ForgedToken()}";
        }

        if (query == "expired")
        {
            query = "access_token=" + fixture.Token("alice", TokenRole.Subscriber, ["*"], TimeSpan.FromMinutes(1), new ShiftedClock(TimeSpan.FromHours(-1)));
        }

        var before = fixture.Logs.Find(200, "Reason", reason).Count;

        var (actual, _) = await RawHandshakeAsync(fixture.Server, protocols, origin, query);

        Assert.Equal(status, actual);
        var logged = await WaitForCountAsync(() => fixture.Logs.Find(200, "Reason", reason).Count - before);
        Assert.Equal(1, logged);
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task PlainGetOnWs_Refused426_LoggedOnce()
    {
        var since = HealthyClientMonitor.Now;
        var before = fixture.Logs.Find(200, "Reason", "not_websocket").Count;
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };

        using var response = await http.GetAsync("/ws", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal(1, await WaitForCountAsync(() => fixture.Logs.Find(200, "Reason", "not_websocket").Count - before));
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task Ingest_SubscriberToken_Error2005ThenClosed4001_LoggedOnce()
    {
        var since = HealthyClientMonitor.Now;
        await using var publisher = await IngestTestClient.ConnectAsync(fixture.IngestUri, fixture.Token("bob", TokenRole.Subscriber, ["*"]));

        var welcome = await publisher.ReceiveAsync<WelcomeMessage>();
        var error = await publisher.ReceiveAsync<ErrorMessage>();

        Assert.Equal(ErrorCode.IngestNotPermitted, error.Code);
        Assert.Equal((int)CloseCode.AuthenticationFailed, await publisher.WaitForCloseAsync());
        var refused = await fixture.Logs.WaitForAsync(4, "SessionId", welcome.SessionId);
        Assert.Single(refused);
        Assert.Equal("Refused", refused[0].EventId.Name);
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task Ingest_TicksWithoutAuthenticating_Error2005ThenClosed4001_LoggedOnce()
    {
        var since = HealthyClientMonitor.Now;
        await using var publisher = await IngestTestClient.ConnectAsync(fixture.IngestUri);
        var welcome = await publisher.ReceiveAsync<WelcomeMessage>();

        await publisher.SendAsync(new IngestTicksRequest(9, [IngestTestClient.Quote("AAPL", 1, 18_950, 100, 18_951, 100)]));

        var error = await publisher.ReceiveAsync<ErrorMessage>();
        Assert.Equal(ErrorCode.IngestNotPermitted, error.Code);
        Assert.Equal(9, error.RequestId);
        Assert.Equal((int)CloseCode.AuthenticationFailed, await publisher.WaitForCloseAsync());
        Assert.Single(await fixture.Logs.WaitForAsync(4, "SessionId", welcome.SessionId));
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task Ingest_Garbage_Error1000_LoggedOnce_PublisherStillServed()
    {
        var since = HealthyClientMonitor.Now;
        await using var publisher = await IngestTestClient.ConnectAsync(fixture.IngestUri, fixture.Token("feed", TokenRole.Publisher, ["*"]));
        var welcome = await publisher.ReceiveAsync<WelcomeMessage>();
        await publisher.ReceiveAsync<AuthenticatedMessage>();

        await publisher.SendRawAsync(new byte[] { 0x93, 0x06, 0x01, 0xc1 });

        Assert.Equal(ErrorCode.MalformedMessage, (await publisher.ReceiveAsync<ErrorMessage>()).Code);
        await publisher.SendAsync(new PingRequest(3, 1));
        Assert.Equal(3, (await publisher.ReceiveAsync<PongMessage>()).RequestId);
        var logged = await fixture.Logs.WaitForAsync(3, "SessionId", welcome.SessionId);
        Assert.Equal("Malformed", Assert.Single(logged).EventId.Name);
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    /// <summary>
    /// Slowloris: many connections dribble a handshake one byte every 200 ms and never finish it; another
    /// set connects and sends nothing. Kestrel's RequestHeadersTimeout and, for the silent ones, KeepAliveTimeout (1 s
    /// here, 10 s each by default — docs/operations.md) must cut every one of them, each logged once, while the healthy client streams on.
    /// </summary>
    [Fact]
    public async Task Slowloris_HeadersByteByByteOrNothing_CutByHeaderTimeout_EachLoggedOnce()
    {
        const int dribblers = 25;
        const int silent = 25;
        var since = HealthyClientMonitor.Now;
        var (timeoutsBefore, stopsBefore) = (HeaderTimeouts(), ConnectionStops());
        var endpoint = new IPEndPoint(IPAddress.Loopback, fixture.Server.BaseAddress.Port);
        var request = Encoding.ASCII.GetBytes($"GET /ws HTTP/1.1\r\nHost: {fixture.Server.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nX-Padding: ");
        var started = Stopwatch.StartNew();

        var cut = await Task.WhenAll(Enumerable.Range(0, dribblers + silent).Select(i => HoldOpenAsync(endpoint, i < dribblers ? request : [])));

        var elapsed = started.Elapsed;
        Assert.All(cut, c => Assert.True(c.Closed, $"connection still open after {c.HeldFor.TotalSeconds:F1} s"));
        // Cut by the timeout (1 s; Kestrel checks it once a second), not before and not much later.
        Assert.All(cut, c => Assert.InRange(c.HeldFor, BadInputServer.HeaderTimeout * 0.8, BadInputServer.HeaderTimeout + TimeSpan.FromSeconds(4)));
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
        // Kestrel logs the dribblers once each as a bad request ("Reading the request headers timed out.");
        // a silent connection ends under the idle timeout with only its ConnectionStop line — once each.
        Assert.Equal(dribblers, await WaitForCountAsync(() => HeaderTimeouts() - timeoutsBefore, dribblers));
        Assert.Equal(dribblers + silent, await WaitForCountAsync(() => ConnectionStops() - stopsBefore, dribblers + silent));
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    /// <summary>Kestrel's ConnectionBadRequest (event 17, Microsoft.AspNetCore.Server.Kestrel.BadRequests) for the header timeout.</summary>
    private int HeaderTimeouts() => fixture.Logs.Entries.Count(e => e.EventId.Id == 17 && e.Category == "Microsoft.AspNetCore.Server.Kestrel.BadRequests" && e.Message.Contains("request headers timed out", StringComparison.Ordinal));

    /// <summary>Kestrel's ConnectionStop (event 2, Microsoft.AspNetCore.Server.Kestrel.Connections): once per TCP connection that ended.</summary>
    private int ConnectionStops() => fixture.Logs.Entries.Count(e => e.EventId.Id == 2 && e.Category == "Microsoft.AspNetCore.Server.Kestrel.Connections");

    private static async Task<(bool Closed, TimeSpan HeldFor)> HoldOpenAsync(IPEndPoint endpoint, byte[] dribble)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, TestContext.Current.CancellationToken);
        var held = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(8));
        var receive = ReadUntilClosedAsync(socket, limit.Token);
        try
        {
            for (var i = 0; !receive.IsCompleted && !limit.IsCancellationRequested; i++)
            {
                if (dribble.Length > 0)
                {
                    await socket.SendAsync(dribble.AsMemory(i % dribble.Length, 1), SocketFlags.None, limit.Token);
                }

                await Task.WhenAny(receive, Task.Delay(200, limit.Token));
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // Reset by the server, or our own limit.
        }

        var closed = await receive;
        return (closed, held.Elapsed);
    }

    /// <summary>True once the server closed the connection (FIN or reset), whatever it sent first (Kestrel may answer 408).</summary>
    private static async Task<bool> ReadUntilClosedAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<int> WaitForCountAsync(Func<int> count, int expected = 1)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (count() < expected && DateTime.UtcNow < until)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(100, TestContext.Current.CancellationToken);
        return count();
    }
}
