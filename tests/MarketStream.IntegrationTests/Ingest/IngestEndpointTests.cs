using System.Net.WebSockets;
using System.Text.Json;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Model;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using MessagePack;
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

    /// <summary>
    /// docs/protocol.md §4.17, §4.20, §5.1: one message mixing valid ticks with every per-tick
    /// rejection kind gets one IngestAck listing each refused tick's index and code; the valid
    /// ticks reach a subscriber in order; each refusal is counted by reason on /api/ingest,
    /// /api/feeds and /metrics; and the same connection keeps publishing afterwards.
    /// </summary>
    [Fact]
    public async Task Ingest_EachRejectionKind_AckListsIndexAndCode_ValidTicksPublished_CountedByReason()
    {
        await using var server = await RunningServer.StartAsync(IngestOnly);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await using var sse = await SseTestClient.ConnectAsync(http, "/sse?symbols=EURUSD,AAPL&mode=full");
        await sse.NextAsync();
        await sse.NextDataAsync();
        await sse.NextDataAsync();
        await using var publisher = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server), PublisherToken(server));
        await publisher.ReceiveAsync<WelcomeMessage>();
        await publisher.ReceiveAsync<AuthenticatedMessage>();

        // Entries the C# writer cannot produce are written raw (IngestTestClient.RawEntry).
        await publisher.SendIngestAsync(9,
        [
            Entry(IngestTestClient.Quote("EURUSD", T0 + 10, 108431, 1, 108433, 1)),           // 0 ok
            Entry(IngestTestClient.Quote("NOSUCH", T0 + 11, 1, 1, 2, 1)),                      // 1 unknown symbol
            Entry(IngestTestClient.Quote("EURUSD", T0 + 12, 108440, 1, 108430, 1)),           // 2 crossed
            Entry(IngestTestClient.Quote("EURUSD", T0 + 5, 108431, 1, 108433, 1)),            // 3 out of order
            Entry(IngestTestClient.Trade("AAPL", T0, 0, 100, TradeSide.Sell)),                // 4 non-positive price
            Entry(IngestTestClient.Trade("AAPL", T0, 23000, 0, TradeSide.Sell)),              // 5 zero-size trade
            Entry(IngestTestClient.Quote("EURUSD", T0 + 13, 108431, -1, 108433, 1)),          // 6 negative size
            IngestTestClient.RawEntry((ref MessagePackWriter w) => { w.WriteArrayHeader(7); w.Write("AAPL"); w.Write(3); w.Write(T0); w.Write(1); w.Write(1); w.Write(0); w.Write(0); }),           // 7 kind 3
            IngestTestClient.RawEntry((ref MessagePackWriter w) => { w.WriteArrayHeader(7); w.Write("AAPL"); w.Write(2); w.Write(T0); w.Write(23000); w.Write(1); w.Write(7); w.Write(0); }),    // 8 side 7
            IngestTestClient.RawEntry((ref MessagePackWriter w) => { w.WriteArrayHeader(7); w.Write("EUR USD"); w.Write(1); w.Write(T0); w.Write(1); w.Write(1); w.Write(2); w.Write(1); }),     // 9 invalid name
            IngestTestClient.RawEntry((ref MessagePackWriter w) => { w.WriteArrayHeader(3); w.Write("EURUSD"); w.Write(1); w.Write(T0); }),                                                      // 10 short entry
            IngestTestClient.RawEntry((ref MessagePackWriter w) => { w.WriteArrayHeader(7); w.Write("EURUSD"); w.Write(1); w.Write("soon"); w.Write(1); w.Write(1); w.Write(2); w.Write(1); }), // 11 time not an integer
            Entry(IngestTestClient.Trade("AAPL", T0 + 1, 23000, 5, TradeSide.Sell)),          // 12 ok
            Entry(IngestTestClient.Quote("EURUSD", T0 + 14, 108432, 2, 108434, 2)),           // 13 ok
        ]);

        var ack = await publisher.ReceiveAsync<IngestAckMessage>();
        Assert.Equal((9L, 3), (ack.RequestId, ack.Accepted));
        Assert.Equal(
            [
                new(1, IngestRejectCode.UnknownSymbol), new(2, IngestRejectCode.CrossedQuote), new(3, IngestRejectCode.OutOfOrder),
                new(4, IngestRejectCode.NonPositivePrice), new(5, IngestRejectCode.NegativeSize), new(6, IngestRejectCode.NegativeSize),
                new(7, IngestRejectCode.BadKind), new(8, IngestRejectCode.BadSide), new(9, IngestRejectCode.InvalidSymbol),
                new(10, IngestRejectCode.MalformedTick), new(11, IngestRejectCode.MalformedTick),
            ],
            ack.Rejected.ToArray<IngestReject>());

        // The three valid ticks, in order, and nothing of the refused ones.
        Assert.Equal(("EURUSD", 1L, "1.08431"), Brief(await sse.NextDataAsync(), "bid"));
        Assert.Equal(("AAPL", 1L, "230.00"), Brief(await sse.NextDataAsync(), "price"));
        Assert.Equal(("EURUSD", 2L, "1.08432"), Brief(await sse.NextDataAsync(), "bid"));

        // The pipeline and the connection keep going.
        await publisher.SendAsync(new IngestTicksRequest(10, [IngestTestClient.Quote("EURUSD", T0 + 20, 108433, 1, 108435, 1)]));
        var next = await publisher.ReceiveAsync<IngestAckMessage>();
        Assert.Equal((10L, 1, 0), (next.RequestId, next.Accepted, next.Rejected.Count));
        Assert.Equal(("EURUSD", 3L, "1.08433"), Brief(await sse.NextDataAsync(), "bid"));

        var expected = new Dictionary<string, long>
        {
            ["unknown_symbol"] = 1, ["crossed_quote"] = 1, ["out_of_order"] = 1, ["non_positive_price"] = 1, ["negative_size"] = 2,
            ["bad_kind"] = 1, ["bad_side"] = 1, ["invalid_symbol"] = 1, ["malformed_tick"] = 2,
        };
        var stats = JsonDocument.Parse(await http.GetStringAsync("/api/ingest", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(11, stats.GetProperty("ticksRejected").GetInt64());
        Assert.Equal(4, stats.GetProperty("ticksPublished").GetInt64());
        foreach (var (reason, count) in expected)
        {
            Assert.Equal(count, stats.GetProperty("rejectedByReason").GetProperty(reason).GetInt64());
        }

        var feeds = JsonDocument.Parse(await http.GetStringAsync("/api/feeds", TestContext.Current.CancellationToken)).RootElement;
        var ingest = Assert.Single(feeds.EnumerateArray(), f => f.GetProperty("name").GetString() == "ingest");
        Assert.Equal(4, ingest.GetProperty("ticksPublished").GetInt64());
        Assert.Equal(11, ingest.GetProperty("rejected").GetInt64());
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), ingest.GetProperty("rejectedByReason").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())));

        var metrics = (await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken)).Split('\n');
        foreach (var (reason, count) in expected)
        {
            Assert.Contains(metrics, l => l.StartsWith("marketstream_ingest_ticks_rejected_total{", StringComparison.Ordinal) && l.EndsWith($"reason=\"{reason}\"}} {count}", StringComparison.Ordinal));
        }

        Assert.Contains(metrics, l => l.StartsWith("marketstream_feed_rejected_total{", StringComparison.Ordinal) && l.Contains("feed=\"ingest\"", StringComparison.Ordinal) && l.EndsWith(" 11", StringComparison.Ordinal));
    }

    /// <summary>Ingest:MaxTicksPerSecond: ticks beyond the connection's budget are refused one by one with code 10; the others go through.</summary>
    [Fact]
    public async Task Ingest_OverTickBudget_TailRejectedRateLimited_RestPublished()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>(IngestOnly) { ["MarketStream:Feeds:Ingest:MaxTicksPerSecond"] = "5" });
        await using var publisher = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server), PublisherToken(server));
        await publisher.ReceiveAsync<WelcomeMessage>();
        await publisher.ReceiveAsync<AuthenticatedMessage>();

        var ticks = new IngestTick[8];
        for (var i = 0; i < ticks.Length; i++)
        {
            ticks[i] = IngestTestClient.Quote("EURUSD", T0 + i, 108431, 1, 108433, 1);
        }

        ticks[1] = IngestTestClient.Quote("NOSUCH", T0, 1, 1, 2, 1); // inside the budget: spends it and is refused for its own reason
        await publisher.SendAsync(new IngestTicksRequest(3, ticks));
        var ack = await publisher.ReceiveAsync<IngestAckMessage>();
        Assert.Equal(4, ack.Accepted);
        Assert.Equal(
            [new(1, IngestRejectCode.UnknownSymbol), new(5, IngestRejectCode.RateLimited), new(6, IngestRejectCode.RateLimited), new(7, IngestRejectCode.RateLimited)],
            ack.Rejected.ToArray<IngestReject>());

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var stats = JsonDocument.Parse(await http.GetStringAsync("/api/ingest", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(3, stats.GetProperty("rejectedByReason").GetProperty("rate_limited").GetInt64());
        Assert.Equal(4, stats.GetProperty("ticksPublished").GetInt64());
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

        // The refused message's tick is counted as not permitted (docs/protocol.md §5.1, code 11).
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            var stats = JsonDocument.Parse(await http.GetStringAsync("/api/ingest", TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal(1, stats.GetProperty("rejectedByReason").GetProperty("not_permitted").GetInt64());
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

    private static IngestTestClient.RawTickEntry Entry(IngestTick tick) => IngestTestClient.RawEntry((ref MessagePackWriter w) => IngestTestClient.WriteTick(ref w, tick));

    /// <summary>(symbol, seq, a price field) of an SSE update.</summary>
    private static (string, long, string) Brief(SseEvent e, string priceField) =>
        (e.Json.GetProperty("symbol").GetString()!, e.Json.GetProperty("seq").GetInt64(), e.Json.GetProperty(priceField).GetString()!);

    private static string PublisherToken(RunningServer server) =>
        server.Services.GetRequiredService<TokenService>().Issue("feed-1", TokenRole.Publisher, [], TimeSpan.FromMinutes(5));

    private static (string, string, long, string, string, long) Quote(SseEvent e)
    {
        var j = e.Json;
        return (e.Name, j.GetProperty("symbol").GetString()!, j.GetProperty("seq").GetInt64(), j.GetProperty("bid").GetString()!, j.GetProperty("ask").GetString()!, j.GetProperty("raw").GetProperty("bid").GetInt64());
    }
}
