using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>Graceful shutdown, metrics, the admin session view and development tokens.</summary>
[Collection(MetricsScrapeCollection.Name)]
public sealed class OperationsTests
{
    [Fact]
    public async Task GracefulShutdown_EverySessionGets1001()
    {
        var server = await GatewayServer.StartAsync();
        try
        {
            var (a, _) = await ConnectAsync(server);
            var (b, _) = await ConnectAsync(server);
            await using var _a = a;
            await using var _b = b;
            await SubscribeAsync(a, Subscribe(1, "*"));

            var stopping = server.App.StopAsync(TestContext.Current.CancellationToken);
            var codes = await Task.WhenAll(a.WaitForCloseAsync(), b.WaitForCloseAsync());
            await stopping;

            Assert.All(codes, code => Assert.Equal((int)CloseCode.GoingAway, code));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task GracefulShutdown_ClientThatNeverReads_AbortedAfterDrainTimeout_StopDoesNotWaitForIt()
    {
        // Drain 1 s; the slow-consumer close lag (10 s) would otherwise be what ends the stuck session.
        var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Gateway:ShutdownDrainTimeout"] = "00:00:01" }, smallSendBuffers: true);
        try
        {
            var (reader, _) = await ConnectAsync(server);
            var (stuck, _) = await ConnectAsync(server, receiveBufferBytes: 4096);
            await using var _r = reader;
            await using var _s = stuck;
            await SubscribeAsync(stuck, Subscribe(1, "*"));
            // The stuck client never reads again: the server's sends to it block and its close frame cannot go out.
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var stopping = server.App.StopAsync(TestContext.Current.CancellationToken);
            var code = await reader.WaitForCloseAsync();
            await stopping;

            Assert.Equal((int)CloseCode.GoingAway, code);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"stop took {clock.Elapsed}");
            Assert.Equal(0, server.Services.GetRequiredService<MarketStream.Server.Gateway.SessionRegistry>().Count);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task MaxConnections_OverTheTotal_Closed4003_CountedAsTooManyConnections_PlaceFreedOnClose()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:MaxConnections"] = "2",
            ["MarketStream:Gateway:MaxConnectionsPerAddress"] = "2",
        });
        var (a, _) = await ConnectAsync(server);
        var (b, _) = await ConnectAsync(server);
        await using var _b = b;

        await using var refused = await ProtocolClient.ConnectAsync(server.WebSocketUri);
        Assert.Equal((int)CloseCode.TooManyConnections, await refused.WaitForCloseAsync());
        await a.DisposeAsync();
        var limiter = server.Services.GetRequiredService<MarketStream.Server.Gateway.ConnectionLimiter>();
        await Eventually.TrueAsync(() => limiter.Total == 1, "the closed connection's place is released");
        var (c, _) = await ConnectAsync(server);
        await using var _c = c;
        await c.SendAsync(new PingRequest(1, 1));
        Assert.Equal(1, (await c.ExpectAsync<PongMessage>()).RequestId);

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("marketstream_connections_refused_total{", StringComparison.Ordinal) && l.Contains("reason=\"too_many_connections\"", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MetricsScrape_CountsMergedUpdatesAndSlowConsumerCloses()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:FullModeQueueCapacity"] = "16",
            ["MarketStream:Gateway:FullModeOverflow"] = "Close",
        }, smallSendBuffers: true);
        var (conflated, _) = await ConnectAsync(server, receiveBufferBytes: 4096);
        var (full, _) = await ConnectAsync(server, receiveBufferBytes: 4096);
        await using var _c = conflated;
        await using var _f = full;
        await SubscribeAsync(conflated, Subscribe(1, "*"));
        await SubscribeAsync(full, SubscribeFull(2, "*"));

        // Neither reads for a second: the conflated one merges, the full one overflows and is closed (4000).
        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        await conflated.ReadForAsync(TimeSpan.FromSeconds(1));
        // 4000 in a close frame, or a dropped connection when the server's send was already blocked on
        // the full socket; either way the server counts a slow-consumer close (asserted below).
        Assert.Contains(await full.WaitForCloseAsync(), new int?[] { (int)CloseCode.SlowConsumer, 1006 });

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var metrics = "";
        await Eventually.TrueAsync(
            async () => Value(metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken), "marketstream_slow_consumer_closes_total") >= 1,
            "/metrics counts the slow-consumer close");
        Assert.True(Value(metrics, "marketstream_updates_merged_total") > 0, metrics);
    }

    [Fact]
    public async Task MetricsScrape_ReflectsConnectionsFramesAndRefusals()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;
        await SubscribeAsync(client, Subscribe(1, "EUR*"));
        await client.ReadForAsync(TimeSpan.FromMilliseconds(500));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await http.GetAsync("/ws", TestContext.Current.CancellationToken); // not an upgrade: refused

        var metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.True(Value(metrics, "marketstream_connections") >= 1, metrics);
        Assert.True(Value(metrics, "marketstream_frames_out_total") > 1, metrics);
        Assert.True(Value(metrics, "marketstream_updates_out_total") > 0, metrics);
        Assert.True(Value(metrics, "marketstream_subscriptions") >= 6, metrics);
        Assert.True(Value(metrics, "marketstream_connections_refused_total") >= 1, metrics);
        // Every instrument an operator relies on (docs/operations.md, Metrics): ticks in, merged updates, slow-consumer closes, ring lag, per-stage throughput.
        Assert.True(Value(metrics, "marketstream_ticks_in_total") > 0, metrics);
        Assert.True(Value(metrics, "marketstream_stage_sequencer_processed_total") > 0, metrics);
        Assert.True(Value(metrics, "marketstream_stage_fanout_processed_total") > 0, metrics);
        Assert.True(Value(metrics, "marketstream_updates_merged_total") >= 0, metrics);
        Assert.True(Value(metrics, "marketstream_slow_consumer_closes_total") >= 0, metrics);
        Assert.True(Value(metrics, "marketstream_ring_lag") >= 0, metrics);
    }

    [Fact]
    public async Task AdminSessions_LoopbackInAnonymousMode_ListsSessionWithFigures()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, welcome) = await ConnectAsync(server);
        await using var _ = client;
        await SubscribeAsync(client, Subscribe(1, "EUR*"));
        await client.ReadForAsync(TimeSpan.FromMilliseconds(400));

        var view = await StreamingTests.SessionViewAsync(server, welcome.SessionId);

        Assert.Equal("127.0.0.1", view.GetProperty("remoteAddress").GetString());
        Assert.Equal("anonymous", view.GetProperty("subject").GetString());
        Assert.Equal(1, view.GetProperty("subscriptions").GetInt32());
        Assert.Equal(6, view.GetProperty("symbols").GetInt32());
        Assert.True(view.GetProperty("updatesSent").GetInt64() > 0);
    }

    [Fact]
    public async Task AdminSessions_RequiredMode_NeedsAdminBearerToken()
    {
        await using var server = await GatewayServer.StartAsync(RequiredAuth());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/sessions", TestContext.Current.CancellationToken)).StatusCode);
        using var asUser = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
        asUser.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(server, "eve", TokenRole.Subscriber, ["*"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(asUser, TestContext.Current.CancellationToken)).StatusCode);
        using var asAdmin = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
        asAdmin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(server, "root", TokenRole.Admin, ["*"]));
        var response = await http.SendAsync(asAdmin, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).ValueKind);
    }

    [Fact]
    public async Task DevToken_MintsAUsableToken_AndIsAbsentInRequiredMode()
    {
        await using (var server = await GatewayServer.StartAsync())
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var response = await http.PostAsJsonAsync("/api/dev/token", new { subject = "frank", role = "subscriber", patterns = new[] { "EUR*" } }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            var token = body.GetProperty("token").GetString()!;
            Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);

            var (client, _) = await ConnectAsync(server, [WireProtocol.SubProtocol, WireProtocol.TokenSubProtocolPrefix + token]);
            await using var _ = client;
            Assert.Equal("frank", (await client.ExpectAsync<AuthenticatedMessage>()).Subject);
            await client.SendAsync(Subscribe(1, "AAPL"));
            Assert.Equal(ErrorCode.NotEntitled, (await ExpectErrorAsync(client, 1)).Code);

            var bad = await http.PostAsJsonAsync("/api/dev/token", new { subject = "", role = "subscriber" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        await using (var server = await GatewayServer.StartAsync(RequiredAuth()))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var response = await http.PostAsJsonAsync("/api/dev/token", new { subject = "frank" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    private static double Value(string metrics, string name)
    {
        var total = 0.0;
        var found = false;
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal) || line.StartsWith(name + "{", StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                found = true;
            }
        }

        return found ? total : throw new InvalidOperationException($"{name} missing from /metrics");
    }
}
