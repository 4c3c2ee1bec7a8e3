using System.Text.Json;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Model;
using MarketStream.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.IntegrationTests.Sse;

public sealed class SseEndpointTests
{
    private static readonly Dictionary<string, string?> RequiredAuth = new()
    {
        ["MarketStream:Auth:Mode"] = "Required",
        ["MarketStream:Auth:SigningKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray()),
        ["MarketStream:Auth:DevTokenEndpoint"] = "false",
    };

    [Fact]
    public async Task Sse_Subscribe_SnapshotThenUpdatesWithSeqPlusOnePerSymbol()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await using var sse = await SseTestClient.ConnectAsync(http, "/sse?symbols=EURUSD,AAPL&mode=full");

        var subscribed = await sse.NextAsync();
        Assert.Equal("subscribed", subscribed.Name);
        Assert.Equal(["AAPL", "EURUSD"], subscribed.Json.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToArray());

        var last = new Dictionary<string, long>();
        var updates = 0;
        while (updates < 30)
        {
            var e = await sse.NextDataAsync();
            var json = e.Json;
            var symbol = json.GetProperty("symbol").GetString()!;
            Assert.NotNull(e.Id);
            if (e.Name == "snapshot")
            {
                Assert.False(last.ContainsKey(symbol), $"second snapshot for {symbol}");
                last[symbol] = json.GetProperty("seq").GetInt64();
                continue;
            }

            Assert.Equal("update", e.Name);
            Assert.True(last.ContainsKey(symbol), $"update of {symbol} before its snapshot");
            Assert.Equal(last[symbol] + 1, json.GetProperty("seq").GetInt64());
            last[symbol] = json.GetProperty("seq").GetInt64();
            AssertExactPrices(json, symbol == "EURUSD" ? 5 : 2);
            updates++;
        }

        Assert.Equal(2, last.Count);
    }

    [Fact]
    public async Task Sse_Pattern_CoversEveryMatchingSymbolWithASnapshotEach()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await using var sse = await SseTestClient.ConnectAsync(http, "/sse?symbols=EUR*");

        var names = (await sse.NextAsync()).Json.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();
        Assert.True(names.Count >= 3, string.Join(",", names));
        Assert.All(names, n => Assert.StartsWith("EUR", n, StringComparison.Ordinal));

        var snapshots = new HashSet<string>();
        while (snapshots.Count < names.Count)
        {
            var e = await sse.NextDataAsync();
            var symbol = e.Json.GetProperty("symbol").GetString()!;
            Assert.Contains(symbol, names);
            if (e.Name == "snapshot")
            {
                Assert.True(snapshots.Add(symbol));
            }
            else
            {
                Assert.Contains(symbol, snapshots);
            }
        }
    }

    [Fact]
    public async Task Sse_NotEntitled_Refused403With2003()
    {
        await using var server = await RunningServer.StartAsync(RequiredAuth);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var token = server.Services.GetRequiredService<TokenService>().Issue("bob", TokenRole.Subscriber, ["EUR*"], TimeSpan.FromMinutes(5));

        var denied = await Assert.ThrowsAsync<SseRefusedException>(() => SseTestClient.ConnectAsync(http, "/sse?symbols=AAPL", bearer: token));
        Assert.Equal(403, denied.Status);
        Assert.Equal(2003, JsonDocument.Parse(denied.Body).RootElement.GetProperty("code").GetInt32());

        // A pattern wider than the grant is refused too, even though it overlaps it.
        var wider = await Assert.ThrowsAsync<SseRefusedException>(() => SseTestClient.ConnectAsync(http, "/sse?symbols=E*", bearer: token));
        Assert.Equal(403, wider.Status);

        var noToken = await Assert.ThrowsAsync<SseRefusedException>(() => SseTestClient.ConnectAsync(http, "/sse?symbols=EURUSD"));
        Assert.Equal(401, noToken.Status);

        // Within the grant, via ?access_token= as EventSource must.
        await using var allowed = await SseTestClient.ConnectAsync(http, $"/sse?symbols=EURUSD&access_token={token}");
        Assert.Equal("subscribed", (await allowed.NextAsync()).Name);
        Assert.Equal("snapshot", (await allowed.NextDataAsync()).Name);
    }

    [Fact]
    public async Task Sse_LastEventIdResume_EverySymbolContinuesWithNoGapAndNoDuplicate()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var last = new Dictionary<string, long>();
        string? id;
        await using (var first = await SseTestClient.ConnectAsync(http, "/sse?symbols=EUR*,AAPL&mode=full"))
        {
            await first.NextAsync();
            for (var i = 0; i < 60; i++)
            {
                Track(last, await first.NextDataAsync(), resumed: false);
            }

            id = first.LastEventId;
        }

        Assert.NotNull(id);
        await Task.Delay(300, TestContext.Current.CancellationToken);   // the stream moves on while disconnected

        await using var second = await SseTestClient.ConnectAsync(http, "/sse?symbols=EUR*,AAPL&mode=full", lastEventId: id);
        Assert.True((await second.NextAsync()).Json.GetProperty("resumed").GetBoolean());
        var continued = new HashSet<string>();
        for (var i = 0; i < 120; i++)
        {
            var e = await second.NextDataAsync();
            Assert.NotEqual("reset", e.Name);
            var symbol = e.Json.GetProperty("symbol").GetString()!;
            if (last.ContainsKey(symbol))
            {
                // A symbol the first connection had a position for is never snapshotted again: replay continues it.
                Assert.Equal("update", e.Name);
                continued.Add(symbol);
            }

            Track(last, e, resumed: true);
        }

        Assert.NotEmpty(continued);
    }

    [Fact]
    public async Task Sse_LastEventIdWithUnknownEpoch_ResetEventPerSymbol()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        string id;
        await using (var first = await SseTestClient.ConnectAsync(http, "/sse?symbols=EURUSD,AAPL"))
        {
            await first.NextAsync();
            await first.NextDataAsync();
            await first.NextDataAsync();
            id = first.LastEventId!;
        }

        // Same stream, but positions in an epoch this server never issued: "1:<hash>:<epoch>:<entries>".
        var parts = id.Split(':');
        parts[2] = "zz";
        await using var second = await SseTestClient.ConnectAsync(http, "/sse?symbols=EURUSD,AAPL", lastEventId: string.Join(':', parts));
        await second.NextAsync();
        var resets = new Dictionary<string, int>();
        while (resets.Count < 2)
        {
            var e = await second.NextDataAsync();
            if (e.Name == "reset")
            {
                resets[e.Json.GetProperty("symbol").GetString()!] = e.Json.GetProperty("reason").GetInt32();
            }
            else
            {
                // A symbol without a position in the id (its snapshot was never delivered) gets a snapshot.
                Assert.Contains(e.Name, new[] { "snapshot", "update", "merged" });
                if (e.Name == "snapshot")
                {
                    resets[e.Json.GetProperty("symbol").GetString()!] = 0;
                }
            }
        }

        Assert.Contains(2, resets.Values);   // EpochChanged

        // An id that is not of this stream at all: every symbol resets with reason 3 (unknown position).
        await using var third = await SseTestClient.ConnectAsync(http, "/sse?lastEventId=garbage&symbols=EURUSD,AAPL");
        await third.NextAsync();
        for (var i = 0; i < 2; i++)
        {
            var e = await third.NextDataAsync();
            Assert.Equal("reset", e.Name);
            Assert.Equal(3, e.Json.GetProperty("reason").GetInt32());
        }
    }

    [Fact]
    public async Task Sse_Limits_UnknownSymbolAndTooManyConnections()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Gateway:MaxConnectionsPerAddress"] = "1" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var unknown = await Assert.ThrowsAsync<SseRefusedException>(() => SseTestClient.ConnectAsync(http, "/sse?symbols=NOPE"));
        Assert.Equal(1008, JsonDocument.Parse(unknown.Body).RootElement.GetProperty("code").GetInt32());

        await using var one = await SseTestClient.ConnectAsync(http, "/sse?symbols=AAPL");
        await one.NextAsync();
        var second = await Assert.ThrowsAsync<SseRefusedException>(() => SseTestClient.ConnectAsync(http, "/sse?symbols=AAPL"));
        Assert.Equal(429, second.Status);
    }

    [Fact]
    public async Task Sse_MaxRate_MergedEventCarriesRangeCountAndExactAggregates()
    {
        const long t0 = 1_767_225_600_000_000_000;
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Feeds:Synthetic:Enabled"] = "false",
            ["MarketStream:Feeds:Ingest:Enabled"] = "true",
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await using var sse = await SseTestClient.ConnectAsync(http, "/sse?symbols=AAPL&maxRateMs=500");
        Assert.Equal(500, (await sse.NextAsync()).Json.GetProperty("maxRateMs").GetInt32());
        Assert.Equal("snapshot", (await sse.NextDataAsync()).Name);

        var token = server.Services.GetRequiredService<TokenService>().Issue("feed", TokenRole.Publisher, [], TimeSpan.FromMinutes(5));
        await using var publisher = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server), token);
        await publisher.ReceiveAsync<MarketStream.Protocol.WelcomeMessage>();
        await publisher.ReceiveAsync<MarketStream.Protocol.AuthenticatedMessage>();
        await publisher.SendAsync(new MarketStream.Protocol.IngestTicksRequest(1, [IngestTestClient.Quote("AAPL", t0, 18950, 300, 18952, 200)]));
        await publisher.ReceiveAsync<MarketStream.Protocol.IngestAckMessage>();
        Assert.Equal("update", (await sse.NextDataAsync()).Name);

        // Inside the 500 ms window: folded into one merged event on the trailing edge.
        await publisher.SendAsync(new MarketStream.Protocol.IngestTicksRequest(2,
        [
            IngestTestClient.Trade("AAPL", t0 + 1, 18951, 100, MarketStream.Model.TradeSide.Buy),
            IngestTestClient.Trade("AAPL", t0 + 2, 18960, 50, MarketStream.Model.TradeSide.Buy),
            IngestTestClient.Quote("AAPL", t0 + 3, 18955, 100, 18957, 100),
            IngestTestClient.Trade("AAPL", t0 + 4, 18940, 25, MarketStream.Model.TradeSide.Sell),
        ]));
        await publisher.ReceiveAsync<MarketStream.Protocol.IngestAckMessage>();

        var merged = await sse.NextDataAsync();
        Assert.Equal("merged", merged.Name);
        var m = merged.Json;
        Assert.Equal((2L, 5L, 4), (m.GetProperty("firstSeq").GetInt64(), m.GetProperty("lastSeq").GetInt64(), m.GetProperty("count").GetInt32()));
        Assert.Equal(("189.55", "189.57"), (m.GetProperty("quote").GetProperty("bid").GetString(), m.GetProperty("quote").GetProperty("ask").GetString()));
        var trade = m.GetProperty("trade");
        Assert.Equal(3, trade.GetProperty("count").GetInt32());
        Assert.Equal(("189.40", "sell", "175", "189.60", "189.40"), (trade.GetProperty("price").GetString(), trade.GetProperty("side").GetString(), trade.GetProperty("volume").GetString(), trade.GetProperty("high").GetString(), trade.GetProperty("low").GetString()));
        Assert.Equal(18940, trade.GetProperty("raw").GetProperty("price").GetInt64());
    }

    private static void Track(Dictionary<string, long> last, SseEvent e, bool resumed)
    {
        var json = e.Json;
        var symbol = json.GetProperty("symbol").GetString()!;
        switch (e.Name)
        {
            case "snapshot":
                Assert.False(last.ContainsKey(symbol), $"{symbol}: snapshot after its stream had started (resumed {resumed})");
                last[symbol] = json.GetProperty("seq").GetInt64();
                break;
            case "update":
                Assert.True(last.TryGetValue(symbol, out var previous), $"{symbol}: update before snapshot");
                Assert.Equal(previous + 1, json.GetProperty("seq").GetInt64());
                last[symbol] = previous + 1;
                break;
            default:
                Assert.Fail($"unexpected {e.Name} in full mode: {e.Data}");
                break;
        }
    }

    private static void AssertExactPrices(JsonElement update, int priceScale)
    {
        if (update.GetProperty("kind").GetString() == "quote")
        {
            var bid = update.GetProperty("bid").GetString()!;
            var raw = update.GetProperty("raw").GetProperty("bid").GetInt64();
            Assert.Equal(priceScale, bid.Length - bid.IndexOf('.') - 1);
            Assert.Equal(raw, long.Parse(bid.Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
