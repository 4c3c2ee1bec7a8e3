using System.Diagnostics;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>
/// The WebSocket keep-alive (close 4006, docs/protocol.md §6) and the application heartbeat
/// with the session's lag and queue figures (§4.15).
/// </summary>
public sealed class SessionDeadlinesTests
{
    /// <summary>Ping after 1 s of silence, pong due within 2 s: a client silent for 3 s is closed.</summary>
    private static readonly Dictionary<string, string?> FastKeepAlive = new()
    {
        ["MarketStream:Gateway:KeepAliveInterval"] = "00:00:01",
        ["MarketStream:Gateway:KeepAliveTimeout"] = "00:00:02",
        ["MarketStream:Gateway:HeartbeatInterval"] = "00:00:01",
    };

    [Fact]
    public async Task ClientThatStopsAnsweringPings_Closed4006AfterIntervalPlusTimeout()
    {
        await using var server = await GatewayServer.StartAsync(FastKeepAlive);
        // No client keep-alive, and no reads: a ClientWebSocket answers pings only while it reads.
        var (client, _) = await ConnectAsync(server, keepAliveInterval: TimeSpan.Zero);
        await using var _ = client;
        var silent = Stopwatch.StartNew();

        await Task.Delay(TimeSpan.FromSeconds(3.8), TestContext.Current.CancellationToken);
        var code = await client.WaitForCloseAsync();

        Assert.Equal((int)CloseCode.IdleTimeout, code);
        Assert.True(silent.Elapsed >= TimeSpan.FromSeconds(3), $"closed after {silent.Elapsed}");
    }

    [Fact]
    public async Task ClientThatSendsNothingButAnswersPings_StaysOpenPastTheIdleLimit()
    {
        await using var server = await GatewayServer.StartAsync(FastKeepAlive);
        var (client, _) = await ConnectAsync(server, keepAliveInterval: TimeSpan.Zero);
        await using var _ = client;

        // Reading answers the server's pings (RFC 6455 §5.5.2); the client sends nothing else for 5 s.
        var messages = await client.ReadForAsync(TimeSpan.FromSeconds(5));
        await client.SendAsync(new PingRequest(7, 42));
        var pong = await client.ExpectAsync<PongMessage>();

        Assert.Equal(7, pong.RequestId);
        Assert.Null(client.CloseCode);
        Assert.True(messages.Count(m => m.Type == MessageType.Heartbeat) >= 3, "a heartbeat per second while idle");
    }

    [Fact]
    public async Task Heartbeats_CarryTheSessionsLagQueueAndMergedFigures()
    {
        await using var server = await GatewayServer.StartAsync(smallSendBuffers: true);
        var (client, welcome) = await ConnectAsync(server, receiveBufferBytes: 4096);
        await using var _ = client;
        Assert.Equal(200, welcome.HeartbeatIntervalMs);
        await SubscribeAsync(client, Subscribe(1, "*"));
        var before = (await client.ReadForAsync(TimeSpan.FromMilliseconds(600))).Select(m => m.Body).OfType<HeartbeatMessage>().ToList();

        // Stop reading for a while: updates queue and merge in the outbox; the heartbeats say so.
        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        var after = (await client.ReadForAsync(TimeSpan.FromSeconds(1.5))).Select(m => m.Body).OfType<HeartbeatMessage>().ToList();

        Assert.True(before.Count >= 2, "a heartbeat every 200 ms");
        Assert.Contains(after, h => h.LagMs >= 100 && h.QueuedUpdates > 0 && h.QueuedBytes > 0);
        Assert.True(after[^1].MergedCount > before[^1].MergedCount, "updates were merged while the client did not read");
        Assert.True(after[^1].ServerTimeNs > before[^1].ServerTimeNs);
    }
}
