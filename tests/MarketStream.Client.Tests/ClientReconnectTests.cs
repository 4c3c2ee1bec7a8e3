using MarketStream.Client;
using MarketStream.Testing;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Client.Tests;

/// <summary>Drops between client and server (through <see cref="TcpCutProxy"/>) and what the client makes of them (docs/protocol.md §2.4).</summary>
public sealed class ClientReconnectTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reconnect_AfterShortDrop_ResumesWithoutGapOrReset()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(150, "AAPL", "MSFT", "EURUSD"));
        await using var proxy = new TcpCutProxy(server.WebSocketUri);
        await using var client = new MarketStreamClient(ClientKit.Options(server, o => o.Url = proxy.WebSocketUri));
        await client.ConnectAsync(Cancel);
        await client.SubscribeAsync(["AAPL", "MSFT", "EURUSD"], SubscriptionMode.Full, cancellationToken: Cancel);
        var before = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update, count: 10);

        // Down for 600 ms: ~10 updates per symbol happen meanwhile; the server's history (1024) still holds them.
        proxy.Refusing = true;
        proxy.DropAll();
        var droppedAt = UnixNanos.Now();
        await Task.Delay(600, Cancel);
        proxy.Refusing = false;
        var after = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update && e.ClientTimeNs > droppedAt, count: 60);

        var all = before.Concat(after).ToList();
        var check = StreamOrder.Check(all);
        Assert.Empty(check.Violations);
        Assert.Equal(0, check.Gaps);
        Assert.Equal(0, check.Resets);
        var disconnect = Assert.Single(all, e => e.Kind == MarketEventKind.Disconnected);
        Assert.True(disconnect.Disconnect!.WillReconnect);
        var reconnected = all.Last(e => e.Kind == MarketEventKind.Connected);
        Assert.True(reconnected.Connection!.Reconnects >= 1);
        Assert.True(client.Reconnects >= 1);

        // Resume replayed what happened while the client was away: updates the server stamped before the reconnect.
        var replayed = after.SkipWhile(e => e.Kind != MarketEventKind.Connected)
            .Count(e => e.Kind == MarketEventKind.Update && e.Update.ServerTimeNs > droppedAt && e.Update.ServerTimeNs < reconnected.ClientTimeNs);
        Assert.True(replayed > 0, "no update from the disconnected period was replayed");
        Assert.DoesNotContain(after, e => e.Kind == MarketEventKind.Snapshot);
    }

    [Fact]
    public async Task Reconnect_RepeatedDropsWhileSubscribing_LoseNothing()
    {
        // Drops at random moments (mid-frame, mid-subscribe) while subscriptions come and go; invariant at the
        // end: every symbol's stream is contiguous (no gap, no reset, no duplicate) across all sessions.
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(300, "AAPL", "MSFT", "EURUSD", "GBPUSD"));
        await using var proxy = new TcpCutProxy(server.WebSocketUri);
        await using var client = new MarketStreamClient(ClientKit.Options(server, o => o.Url = proxy.WebSocketUri));
        await client.ConnectAsync(Cancel);
        await client.SubscribeAsync(["AAPL", "MSFT"], SubscriptionMode.Full, cancellationToken: Cancel);
        var events = new List<MarketEvent>();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in client.ReadEventsAsync(Cancel))
            {
                lock (events)
                {
                    events.Add(e);
                }
            }
        }, Cancel);

        var random = new Random(7);
        const int Drops = 6;
        for (var i = 0; i < Drops; i++)
        {
            var extra = client.SubscribeAsync([i % 2 == 0 ? "EURUSD" : "GBPUSD"], SubscriptionMode.Full, cancellationToken: Cancel);
            await Task.Delay(random.Next(0, 60), Cancel);
            proxy.DropAll();
            var subscription = await extra; // completes on this session or after the reconnect renews it
            await Task.Delay(random.Next(150, 300), Cancel);
            await client.UnsubscribeAsync(subscription.Id, Cancel);
        }

        await Task.Delay(500, Cancel);
        List<MarketEvent> seen;
        lock (events)
        {
            seen = [.. events];
        }

        var check = StreamOrder.Check(seen.Where(e => e.Symbol?.Name is "AAPL" or "MSFT"));
        Assert.Empty(check.Violations);
        Assert.Equal(0, check.Gaps);
        Assert.Equal(0, check.Resets);
        Assert.True(client.Reconnects >= Drops, $"reconnects: {client.Reconnects}");
        Assert.True(check.Updates > 100, $"updates: {check.Updates}");
        Assert.Equal(["AAPL", "MSFT"], client.Book.Symbols.Order());
        Assert.False(reader.IsCompleted);
    }

    [Fact]
    public async Task Reconnect_WhenHistoryIsGone_ResetsWithFreshSnapshot()
    {
        // History of 16 updates per symbol; ~100 updates/s of AAPL outrun it in well under the 1.5 s outage.
        var settings = ClientKit.Feed(200, "AAPL", "MSFT");
        settings["MarketStream:Engine:HistoryDepth"] = "16";
        await using var server = await GatewayServer.StartAsync(settings);
        await using var proxy = new TcpCutProxy(server.WebSocketUri);
        await using var client = new MarketStreamClient(ClientKit.Options(server, o => o.Url = proxy.WebSocketUri));
        await client.ConnectAsync(Cancel);
        await client.SubscribeAsync(["AAPL"], cancellationToken: Cancel);
        var before = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update);
        Assert.True(client.Book.TryGet("AAPL", out _, out var held));

        proxy.Refusing = true;
        proxy.DropAll();
        await Task.Delay(1500, Cancel);
        proxy.Refusing = false;
        var events = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Reset);

        var reset = events[^1];
        Assert.Equal("AAPL", reset.Symbol!.Name);
        Assert.Equal(ResetReason.HistoryUnavailable, reset.ResetReason);
        Assert.True(reset.Seq > held.Seq + 16, $"reset at {reset.Seq}, held {held.Seq}");
        Assert.DoesNotContain(events, e => e.Kind == MarketEventKind.Gap);
        var after = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update, count: 3);
        Assert.Empty(StreamOrder.Check([.. before, .. events, .. after]).Violations);
    }

    [Fact]
    public async Task Reconnect_ToRestartedServer_ResetsIntoTheNewEpoch()
    {
        var settings = ClientKit.Feed(100, "MSFT");
        settings["MarketStream:Engine:StartEpoch"] = "100";
        await using var first = await GatewayServer.StartAsync(settings);
        await using var proxy = new TcpCutProxy(first.WebSocketUri);
        await using var client = new MarketStreamClient(ClientKit.Options(first, o => o.Url = proxy.WebSocketUri));
        await client.ConnectAsync(Cancel);
        await client.SubscribeAsync(["MSFT"], cancellationToken: Cancel);
        var before = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update, count: 3);

        settings["MarketStream:Engine:StartEpoch"] = "200";
        await using var second = await GatewayServer.StartAsync(settings);
        proxy.Target = second.WebSocketUri;
        proxy.DropAll();
        var events = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Reset);

        var reset = events[^1];
        Assert.Equal(200, reset.Epoch);
        Assert.Equal("MSFT", reset.Symbol!.Name);
        var after = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update, count: 3);
        Assert.All(after.Where(e => e.Kind == MarketEventKind.Update), e => Assert.Equal(200, e.Epoch));
        Assert.Empty(StreamOrder.Check([.. before, .. events, .. after]).Violations);
        Assert.DoesNotContain(events.Concat(after), e => e.Kind == MarketEventKind.Gap);
    }

}
