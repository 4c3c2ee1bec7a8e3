using System.Net.WebSockets;
using System.Text.Json;
using MarketStream.Core.Market;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.IntegrationTests.Ingest;

[Collection(MetricsScrapeCollection.Name)]
public sealed class IngestEndpointTests
{
    private const long T0 = 1_767_225_600_000_000_000;

    /// <summary>Ingest is the only feed, so every update a subscriber sees was published by the test.</summary>
    private static readonly Dictionary<string, string?> IngestOnly = new()
    {
        ["MarketStream:Feeds:Synthetic:Enabled"] = "false",
        ["MarketStream:Feeds:Ingest:Enabled"] = "true",
        ["MarketStream:Sse:HeartbeatInterval"] = "00:00:00.500",
    };

    [Fact]
    public async Task Ingest_PublisherTicks_SubscriberSeesExactlyThemWithExactPrices()
    {
        await using var server = await RunningServer.StartAsync(IngestOnly);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await using var sse = await SseTestClient.ConnectAsync(http, "/sse?symbols=EURUSD,AAPL&mode=full");
        await sse.NextAsync();
        Assert.Equal(0, (await sse.NextDataAsync()).Json.GetProperty("seq").GetInt64());
        Assert.Equal(0, (await sse.NextDataAsync()).Json.GetProperty("seq").GetInt64());

        await using var publisher = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server), PublisherToken(server));
        Assert.Equal(0, (await publisher.ReceiveAsync<WelcomeMessage>()).AuthDeadlineMs);
        Assert.Equal("feed-1", (await publisher.ReceiveAsync<AuthenticatedMessage>()).Subject);
        await publisher.SendAsync(new IngestTicksRequest(7,
        [
            IngestTestClient.Quote("EURUSD", T0, 108431, 1_000_000, 108433, 2_000_000),
            IngestTestClient.Trade("AAPL", T0 + 1, 23012, 100, TradeSide.Buy),
            IngestTestClient.Quote("EURUSD", T0 + 2, 108432, 500_000, 108434, 700_000),
        ]));
        var ack = await publisher.ReceiveAsync<IngestAckMessage>();
        Assert.Equal(7, ack.RequestId);
        Assert.Equal(3, ack.Accepted);

        var q1 = await sse.NextDataAsync();
        var t1 = await sse.NextDataAsync();
        var q2 = await sse.NextDataAsync();
        Assert.Equal(("update", "EURUSD", 1L, "1.08431", "1.08433", 108431L), Quote(q1));
        Assert.Equal(("update", "EURUSD", 2L, "1.08432", "1.08434", 108432L), Quote(q2));
        Assert.Equal("AAPL", t1.Json.GetProperty("symbol").GetString());
        Assert.Equal(1, t1.Json.GetProperty("seq").GetInt64());
        Assert.Equal("230.12", t1.Json.GetProperty("price").GetString());
        Assert.Equal("buy", t1.Json.GetProperty("side").GetString());
        Assert.Equal(T0 + 1, long.Parse(t1.Json.GetProperty("exchangeTimeNs").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        // Nothing else was published.
        var next = await sse.NextAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("heartbeat", next.Name);
    }

    [Fact]
    public async Task Ingest_EachRejectionReason_ErrorWithCodeAndTickIndex_CountedByReason()
    {
        await using var server = await RunningServer.StartAsync(IngestOnly);
        await using var publisher = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server), PublisherToken(server));
        await publisher.ReceiveAsync<WelcomeMessage>();
        await publisher.ReceiveAsync<AuthenticatedMessage>();

        await publisher.SendAsync(new IngestTicksRequest(9,
        [
            IngestTestClient.Quote("EURUSD", T0 + 10, 108431, 1, 108433, 1),  // 0 ok
            IngestTestClient.Quote("NOSUCH", T0 + 11, 1, 1, 2, 1),             // 1 unknown symbol
            IngestTestClient.Quote("EURUSD", T0 + 12, 108440, 1, 108430, 1),   // 2 crossed
            IngestTestClient.Quote("EURUSD", T0 + 5, 108431, 1, 108433, 1),    // 3 out of order
            IngestTestClient.Trade("AAPL", T0, 0, 100, TradeSide.Sell),        // 4 non-positive price
            IngestTestClient.Trade("AAPL", T0, 23000, 0, TradeSide.Sell),      // 5 zero-size trade
            IngestTestClient.Quote("EURUSD", T0 + 13, 108431, -1, 108433, 1),  // 6 negative size
            IngestTestClient.Trade("AAPL", T0 + 1, 23000, 5, TradeSide.Sell),  // 7 ok
        ]));

        var errors = new List<ErrorMessage>();
        IngestAckMessage ack;
        while (true)
        {
            var message = await publisher.ReceiveAsync();
            if (message is IngestAckMessage a)
            {
                ack = a;
                break;
            }

            errors.Add(Assert.IsType<ErrorMessage>(message));
        }

        Assert.Equal(2, ack.Accepted);
        Assert.All(errors, e => Assert.Equal(9, e.RequestId));
        Assert.Equal(
            [(ErrorCode.UnknownSymbol, "tick 1"), (ErrorCode.InvalidField, "tick 2"), (ErrorCode.InvalidField, "tick 3"), (ErrorCode.InvalidField, "tick 4"), (ErrorCode.InvalidField, "tick 5"), (ErrorCode.InvalidField, "tick 6")],
            errors.Select(e => (e.Code, e.Text[..6])).ToArray());
        Assert.Contains("crossed_quote", errors[1].Text, StringComparison.Ordinal);
        Assert.Contains("out_of_order", errors[2].Text, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var stats = JsonDocument.Parse(await http.GetStringAsync("/api/ingest", TestContext.Current.CancellationToken)).RootElement;
        var byReason = stats.GetProperty("rejectedByReason");
        Assert.Equal(1, byReason.GetProperty("unknown_symbol").GetInt64());
        Assert.Equal(1, byReason.GetProperty("crossed_quote").GetInt64());
        Assert.Equal(1, byReason.GetProperty("out_of_order").GetInt64());
        Assert.Equal(1, byReason.GetProperty("non_positive_price").GetInt64());
        Assert.Equal(2, byReason.GetProperty("negative_size").GetInt64());
        Assert.Equal(2, stats.GetProperty("ticksPublished").GetInt64());
        var metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("marketstream_ingest_ticks_rejected_total{", StringComparison.Ordinal) && l.EndsWith("reason=\"crossed_quote\"} 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingest_SubscriberRoleToken_RefusedWith2005AndClose4001()
    {
        await using var server = await RunningServer.StartAsync(IngestOnly);
        var token = server.Services.GetRequiredService<TokenService>().Issue("viewer", TokenRole.Subscriber, ["*"], TimeSpan.FromMinutes(5));
        await using var client = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server), token);

        await client.ReceiveAsync<WelcomeMessage>();
        Assert.Equal(ErrorCode.IngestNotPermitted, (await client.ReceiveAsync<ErrorMessage>()).Code);
        Assert.Equal((int)CloseCode.AuthenticationFailed, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Ingest_Anonymous_RefusedWith2005AndClose4001_ButAuthenticateMessageWorks()
    {
        await using var server = await RunningServer.StartAsync(IngestOnly);
        await using (var anonymous = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server)))
        {
            Assert.True((await anonymous.ReceiveAsync<WelcomeMessage>()).AuthDeadlineMs > 0);
            await anonymous.SendAsync(new IngestTicksRequest(1, [IngestTestClient.Quote("EURUSD", T0, 1, 1, 2, 1)]));
            var error = await anonymous.ReceiveAsync<ErrorMessage>();
            Assert.Equal((ErrorCode.IngestNotPermitted, 1L), (error.Code, error.RequestId));
            Assert.Equal((int)CloseCode.AuthenticationFailed, await anonymous.WaitForCloseAsync());
        }

        await using var late = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server));
        await late.ReceiveAsync<WelcomeMessage>();
        await late.SendAsync(new AuthenticateRequest(3, PublisherToken(server)));
        Assert.Equal(3, (await late.ReceiveAsync<AuthenticatedMessage>()).RequestId);
        await late.SendAsync(new IngestTicksRequest(4, [IngestTestClient.Quote("EURUSD", T0, 108431, 1, 108433, 1)]));
        Assert.Equal(1, (await late.ReceiveAsync<IngestAckMessage>()).Accepted);
    }

    [Fact]
    public async Task Ingest_MalformedMessage_ErrorAndSessionAndSubscribersUnaffected()
    {
        await using var server = await RunningServer.StartAsync(IngestOnly);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await using var sse = await SseTestClient.ConnectAsync(http, "/sse?symbols=EURUSD&mode=full");
        await sse.NextAsync();
        await sse.NextDataAsync();

        await using var publisher = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server), PublisherToken(server));
        await publisher.ReceiveAsync<WelcomeMessage>();
        await publisher.ReceiveAsync<AuthenticatedMessage>();

        await publisher.SendRawAsync(new byte[] { 0x93, 0x06, 0x01, 0xc1 });                  // 0xc1 is never used
        Assert.Equal(ErrorCode.MalformedMessage, (await publisher.ReceiveAsync<ErrorMessage>()).Code);
        await publisher.SendRawAsync(new byte[] { 0x93, 0x06, 0xcd, 0x01 });                  // truncated uint16
        Assert.Equal(ErrorCode.MalformedMessage, (await publisher.ReceiveAsync<ErrorMessage>()).Code);
        await publisher.SendRawAsync(new byte[] { 0x93, 0x06, 0x02, 0xdd, 0x7f, 0xff, 0xff, 0xff });   // claims 2^31 ticks
        Assert.Equal(ErrorCode.CollectionTooLarge, (await publisher.ReceiveAsync<ErrorMessage>()).Code);
        await publisher.SendAsync(new SubscribeRequest(5, ["EURUSD"], SubscriptionMode.Conflated, 0, 0, []));
        Assert.Equal(ErrorCode.UnknownMessageType, (await publisher.ReceiveAsync<ErrorMessage>()).Code);

        await publisher.SendAsync(new IngestTicksRequest(6, [IngestTestClient.Quote("EURUSD", T0, 108431, 1, 108433, 1)]));
        Assert.Equal(1, (await publisher.ReceiveAsync<IngestAckMessage>()).Accepted);
        var update = await sse.NextDataAsync();
        Assert.Equal(("update", 1L, "1.08431"), (update.Name, update.Json.GetProperty("seq").GetInt64(), update.Json.GetProperty("bid").GetString()));

        // A text frame closes the session with 1003 (docs/protocol.md §1.1); the server keeps running.
        await publisher.SendRawAsync("hello"u8.ToArray(), WebSocketMessageType.Text);
        Assert.Equal(ErrorCode.TextFrameNotSupported, (await publisher.ReceiveAsync<ErrorMessage>()).Code);
        Assert.Equal((int)CloseCode.UnsupportedData, await publisher.WaitForCloseAsync());
        Assert.Equal("ok", await http.GetStringAsync("/healthz", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Ingest_NoAuthenticateWithinDeadline_Close4005()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>(IngestOnly) { ["MarketStream:Auth:AuthenticateTimeout"] = "00:00:00.300" });
        await using var client = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server));

        Assert.Equal(300, (await client.ReceiveAsync<WelcomeMessage>()).AuthDeadlineMs);
        Assert.Equal((int)CloseCode.AuthenticationTimeout, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Ingest_ServerShutdown_PublisherGetsClose1001()
    {
        var server = await RunningServer.StartAsync(IngestOnly);
        try
        {
            await using var client = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server), PublisherToken(server));
            await client.ReceiveAsync<WelcomeMessage>();
            await client.ReceiveAsync<AuthenticatedMessage>();

            var stopping = server.App.StopAsync(TestContext.Current.CancellationToken);
            Assert.Equal((int)CloseCode.GoingAway, await client.WaitForCloseAsync());
            await stopping;
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ingest_Disabled_EndpointNotMapped()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/ingest", TestContext.Current.CancellationToken)).StatusCode);
    }

    private static string PublisherToken(RunningServer server) =>
        server.Services.GetRequiredService<TokenService>().Issue("feed-1", TokenRole.Publisher, [], TimeSpan.FromMinutes(5));

    private static (string, string, long, string, string, long) Quote(SseEvent e)
    {
        var j = e.Json;
        return (e.Name, j.GetProperty("symbol").GetString()!, j.GetProperty("seq").GetInt64(), j.GetProperty("bid").GetString()!, j.GetProperty("ask").GetString()!, j.GetProperty("raw").GetProperty("bid").GetInt64());
    }
}
