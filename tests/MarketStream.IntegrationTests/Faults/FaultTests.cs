using MarketStream.Feeds.Hosting;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Gateway;
using MarketStream.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Faults;

/// <summary>
/// Failing parts (docs/operations.md, "Faults survived"): clients that vanish, never answer pings or stop reading, and a feed
/// that throws then stalls. Each: the failing party gets the documented outcome, it is logged once, and a
/// healthy full-mode client alongside loses nothing and is not held up.
/// </summary>
public sealed class FaultTests
{
    [Fact]
    public async Task ClientsVanishMidFrame_TcpReset_SessionsEndWith1006_LoggedOnce_HealthyUnaffected()
    {
        var logs = new LogCapture();
        await using var server = await GatewayServer.StartAsync(configure: logs.Install);
        await using var healthy = await HealthyClientMonitor.StartAsync(server.WebSocketUri);
        var registry = server.Services.GetRequiredService<SessionRegistry>();
        var since = HealthyClientMonitor.Now;
        const int vanishing = 20;

        await Task.WhenAll(Enumerable.Range(0, vanishing).Select(async _ =>
        {
            using var raw = await RawWebSocket.ConnectAsync(server.BaseAddress);
            // A frame header promising 1000 bytes, 10 of them sent, then the machine is gone.
            await raw.SendAsync([.. RawWebSocket.BinaryFrameHeader(1000), .. new byte[10]]);
            raw.Reset();
        }));

        await WaitUntilAsync(() => registry.Count == 1, "sessions of vanished clients still registered");
        // A session leaves the registry before its clean-up writes the end line: wait for the lines too.
        await WaitUntilAsync(() => logs.Find(101).Count >= vanishing, "sessions of vanished clients did not log their end");
        var ended = logs.Find(101).Where(e => Equals(e.Field("CloseCode"), 1006)).ToList();
        Assert.Equal(vanishing, ended.Count);
        Assert.Equal(vanishing, ended.Select(e => e.Field("SessionId")).Distinct().Count());
        Assert.Empty(logs.Find(102)); // no session failed with an exception
        await healthy.AssertUnaffectedSinceAsync(since);
    }

    /// <summary>
    /// docs/protocol.md §6: "4006 IdleTimeout — nothing received (not even a pong) within the keep-alive
    /// timeout". The client reads every frame (so the server's pings arrive) but never answers one.
    /// </summary>
    [Fact]
    public async Task ClientNeverAnswersPings_Closed4006_HealthyUnaffected()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:KeepAliveInterval"] = "00:00:01",
            ["MarketStream:Gateway:KeepAliveTimeout"] = "00:00:02",
        });
        await using var healthy = await HealthyClientMonitor.StartAsync(server.WebSocketUri);
        var since = HealthyClientMonitor.Now;
        using var silent = await RawWebSocket.ConnectAsync(server.BaseAddress);

        var (code, pings) = await silent.ReadUntilCloseAsync(TimeSpan.FromSeconds(10));

        Assert.True(pings >= 1, "the server never pinged");
        Assert.Equal((int)CloseCode.IdleTimeout, code);
        await healthy.AssertUnaffectedSinceAsync(since, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task ClientsStopReading_ConflatedAndFull_HealthyUnaffected_ConflatedCatchesUpWithoutLoss()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            // 2,000 ticks/s: 2 s without reading overflows a 1,024 queue; half a second of slack for the healthy reader.
            ["MarketStream:Gateway:FullModeQueueCapacity"] = "1024",
        }, smallSendBuffers: true);
        await using var healthy = await HealthyClientMonitor.StartAsync(server.WebSocketUri);
        var (conflated, _) = await ConnectAsync(server, receiveBufferBytes: 4096);
        var (full, _) = await ConnectAsync(server, receiveBufferBytes: 4096);
        await using var _c = conflated;
        await using var _f = full;
        await SubscribeAsync(conflated, Subscribe(1, "*"));
        await SubscribeAsync(full, SubscribeFull(1, "*"));
        var since = HealthyClientMonitor.Now;

        // Neither reads for 2 s: their sockets fill and the server's writers block on them.
        await Task.Delay(2000, TestContext.Current.CancellationToken);
        await healthy.AssertUnaffectedSinceAsync(since);

        // The conflated reader catches up: merged updates that add up, no gap (docs/protocol.md §2.4).
        var caughtUp = CheckStream(await conflated.ReadForAsync(TimeSpan.FromSeconds(1)));
        Assert.True(caughtUp.Merged > 0, "a stalled conflated reader should get merged updates");
        // The full-mode reader overflowed its 1,024-entry queue: degraded with Notice 1, still gap-free.
        var fullStream = await full.ReadForAsync(TimeSpan.FromSeconds(1));
        Assert.Contains(fullStream, m => m.Body is NoticeMessage { Code: NoticeCode.DegradedToConflated });
        CheckStream(fullStream);
        await healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task FeedThrowsThenStalls_Restarted_OtherFeedsAndSessionsContinue_SameEpochNoGap()
    {
        var logs = new LogCapture();
        FaultyFeed? feed = null;
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            // The synthetic feed publishes everything but EURUSD; the faulty feed owns EURUSD.
            ["MarketStream:Feeds:Synthetic:Symbols:0"] = "AAPL",
            ["MarketStream:Feeds:Synthetic:Symbols:1"] = "MSFT",
            ["MarketStream:Feeds:Synthetic:Symbols:2"] = "BTCUSD",
            ["MarketStream:Feeds:Supervisor:RestartDelay"] = "00:00:00.200",
            ["MarketStream:Feeds:Supervisor:StallTimeout"] = "00:00:01",
            ["MarketStream:Feeds:Supervisor:MonitorInterval"] = "00:00:00.200",
        }, configure: builder =>
        {
            logs.Install(builder);
            feed = new FaultyFeed(EurUsdId());
            feed.Install(builder);
        });
        var host = server.Services.GetRequiredService<EngineHost>();
        Assert.True(host.Registry.TryGetId("EURUSD", out var eurusd));
        await using var healthy = await HealthyClientMonitor.StartAsync(server.WebSocketUri, null, "AAPL", "MSFT", "BTCUSD", "EURUSD");
        var since = HealthyClientMonitor.Now;

        // Run 1 publishes 50 and throws; the supervisor restarts it; run 2 publishes 50 and stalls.
        await WaitUntilAsync(() => Status(host).IsStalled, "the stalled feed was not reported stalled", TimeSpan.FromSeconds(10));

        var status = Status(host);
        Assert.Equal(1, status.Restarts);
        Assert.Equal(2, feed!.Runs);
        Assert.Equal(2 * FaultyFeed.TicksPerRun, status.TicksPublished);
        Assert.Single(await logs.WaitForAsync(3, "Feed", "faulty")); // FeedFailed, once
        Assert.Single(await logs.WaitForAsync(5, "Feed", "faulty")); // FeedStalled, once
        // Epoch rule for a locally sequenced feed: the restart continues the same epoch, seq without a gap.
        await WaitUntilAsync(() => healthy.LastSeq(eurusd) == 2 * FaultyFeed.TicksPerRun, $"EURUSD at seq {healthy.LastSeq(eurusd)}");
        Assert.Equal(0, healthy.Resets);
        // The synthetic feed and every session carried on throughout.
        await healthy.AssertUnaffectedSinceAsync(since);
        Assert.Contains(host.Feeds.GetStatus(), s => s.Name != "faulty" && s.State == FeedState.Running && !s.IsStalled);

        static int EurUsdId() => MarketStream.Feeds.Symbols.UniverseLoader.LoadEmbedded().TryGetId("EURUSD", out var id) ? id : throw new InvalidOperationException("EURUSD not in the universe");
    }

    private static FeedStatus Status(EngineHost host) => host.Feeds.GetStatus().Single(s => s.Name == "faulty");

    internal static async Task WaitUntilAsync(Func<bool> condition, string failure, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, failure);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
