using System.Net.Http.Json;
using System.Text.Json;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>docs/protocol.md §2.4, §4.2–4.5: subscribe, stream order, unsubscribe, snapshots, ping, conflation and overflow.</summary>
public sealed class StreamingTests
{
    [Fact]
    public async Task Subscribe_FullMode_AckThenSnapshotThenUpdatesWithSeqPlusOne()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        var ack = await SubscribeAsync(client, SubscribeFull(7, "EURUSD", "AAPL"));

        Assert.Equal(SubscriptionMode.Full, ack.Mode);
        Assert.Equal(["AAPL", "EURUSD"], ack.Symbols.Select(s => s.Name).Order());
        Assert.Equal(5, ack.Symbols.Single(s => s.Name == "EURUSD").PriceScale);
        var messages = await client.ReadForAsync(TimeSpan.FromSeconds(1.5));
        var snapshots = messages.Where(m => m.Body is SnapshotMessage).Select(m => (SnapshotMessage)m.Body!).ToList();
        Assert.Equal(2, snapshots.Count);
        Assert.All(snapshots, s => Assert.Equal(7, s.RequestId));
        var check = CheckStream(messages);
        Assert.Equal(0, check.Merged);
        foreach (var symbol in ack.Symbols)
        {
            Assert.True(check.Covered.GetValueOrDefault(symbol.Id) > 0, $"no update for {symbol.Name}");
        }
    }

    [Fact]
    public async Task Subscribe_PrefixPattern_CoversEverySymbolWithThePrefix()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        var ack = await SubscribeAsync(client, Subscribe(3, "EUR*"));

        Assert.Equal(6, ack.Symbols.Count);
        Assert.All(ack.Symbols, s => Assert.StartsWith("EUR", s.Name, StringComparison.Ordinal));
        var messages = await client.ReadForAsync(TimeSpan.FromSeconds(1));
        var ids = ack.Symbols.Select(s => s.Id).ToHashSet();
        Assert.All(messages.Where(m => m.Type is MessageType.Update), m => Assert.Contains(m.Update.SymbolId, ids));
        Assert.Equal(6, CheckStream(messages).Snapshots);
    }

    [Fact]
    public async Task Unsubscribe_AckThenNoMoreUpdates_OtherSubscriptionContinues()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;
        var eur = (await SubscribeAsync(client, Subscribe(1, "EURUSD"))).Symbols[0].Id;
        var others = (await SubscribeAsync(client, Subscribe(2, "A*", "B*", "G*"))).Symbols.Select(s => s.Id).ToHashSet();
        await client.ReadForAsync(TimeSpan.FromMilliseconds(500));

        await client.SendAsync(new UnsubscribeRequest(9, 1));
        var before = new List<ServerMessage>();
        while (true)
        {
            var m = await client.NextAsync();
            if (m.Body is UnsubscribeAckMessage ack)
            {
                Assert.Equal(9, ack.RequestId);
                Assert.Equal(1, ack.SubscriptionId);
                break;
            }
        }

        var after = await client.ReadForAsync(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(after, m => (m.Type == MessageType.Update && m.Update.SymbolId == eur) || (m.Type == MessageType.Merged && m.Merged.SymbolId == eur));
        Assert.Contains(after, m => (m.Type == MessageType.Update && others.Contains(m.Update.SymbolId)) || (m.Type == MessageType.Merged && others.Contains(m.Merged.SymbolId)));
        Assert.Empty(before);
    }

    [Fact]
    public async Task OverlappingSubscriptions_SymbolKeepsItsStream_UntilLastCoveringSubscriptionGoes()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;
        await client.SendAsync(SubscribeFull(1, "EURUSD"));
        await client.SendAsync(Subscribe(2, "EUR*"));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await client.SendAsync(new UnsubscribeRequest(3, 1));
        var messages = await client.ReadForAsync(TimeSpan.FromSeconds(1.5));

        var acks = messages.Select(m => m.Body).OfType<SubscribeAckMessage>().ToList();
        Assert.Equal(2, acks.Count);
        var eur = acks[0].Symbols.Single().Id;
        Assert.Contains(acks[1].Symbols, s => s.Id == eur);
        Assert.Contains(messages, m => m.Body is UnsubscribeAckMessage { SubscriptionId: 1 });
        // Still delivered after unsubscribing 1 (2 covers it), with exactly one snapshot: no restart, no gap.
        var check = CheckStream(messages);
        Assert.True(check.Covered.GetValueOrDefault(eur) > 0);
        Assert.Equal(6, check.Snapshots);
    }

    [Fact]
    public async Task SnapshotRequest_SubscribedSymbol_InBandSnapshotWithItsRequestId_UnsubscribedGets1013()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;
        await SubscribeAsync(client, SubscribeFull(1, "EURUSD"));
        await client.ReadForAsync(TimeSpan.FromMilliseconds(400));

        await client.SendAsync(new SnapshotRequest(42, "EURUSD"));
        var messages = new List<ServerMessage>();
        SnapshotMessage? snapshot = null;
        while (snapshot is null)
        {
            var m = await client.NextAsync();
            messages.Add(m);
            if (m.Body is SnapshotMessage s && s.RequestId == 42)
            {
                snapshot = s;
            }
        }

        Assert.Equal("EURUSD", snapshot.Symbol.Name);
        Assert.True(snapshot.State.Seq > 0);
        // Updates after the in-band snapshot continue from its seq.
        var after = await client.ReadForAsync(TimeSpan.FromMilliseconds(600));
        var next = after.First(m => m.Type == MessageType.Update);
        Assert.Equal(snapshot.State.Seq + 1, next.Update.Seq);

        await client.SendAsync(new SnapshotRequest(43, "AAPL"));
        var error = await ExpectErrorAsync(client, 43);
        Assert.Equal(ErrorCode.NotSubscribed, error.Code);
    }

    [Fact]
    public async Task Ping_AnsweredWithPongEchoingIdAndClientTime()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        await client.SendAsync(new PingRequest(11, 123456789));
        var pong = await client.ExpectAsync<PongMessage>();

        Assert.Equal(11, pong.RequestId);
        Assert.Equal(123456789, pong.ClientTimeNs);
        Assert.True(pong.ServerTimeNs > 0);
    }

    [Fact]
    public async Task StalledReader_Conflated_GetsMergedUpdatesThatAddUp_AndMemoryStaysBounded()
    {
        await using var server = await GatewayServer.StartAsync(smallSendBuffers: true);
        var (client, welcome) = await ConnectAsync(server, receiveBufferBytes: 4096);
        await using var _ = client;
        var ack = await SubscribeAsync(client, Subscribe(1, "*"));
        var messages = await client.ReadForAsync(TimeSpan.FromMilliseconds(300));

        // Stop reading: the server's sends block and updates conflate in the outbox, which holds at most
        // one update per symbol however long the stall (checked at every look until the lag passes 1 s).
        await Eventually.TrueAsync(
            async () =>
            {
                var view = await SessionViewAsync(server, welcome.SessionId);
                Assert.InRange(view.GetProperty("queuedUpdates").GetInt32(), 0, ack.Symbols.Count);
                Assert.InRange(view.GetProperty("queuedBytes").GetInt64(), 0, ack.Symbols.Count * 256L);
                return view.GetProperty("lagMs").GetInt64() > 1000;
            },
            "the stalled session lags by more than 1 s");

        messages.AddRange(await client.ReadForAsync(TimeSpan.FromSeconds(1.5)));
        var check = CheckStream(messages);
        Assert.True(check.Merged > 0, "no merged update after the stall");
        Assert.True(check.MergedCount > check.Merged, "merged updates should fold several updates each");
        Assert.True(check.Covered.Count > ack.Symbols.Count / 2);
    }

    [Fact]
    public async Task StalledReader_FullModeOverflow_DegradesWithNotice_StreamStaysGapFree()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Gateway:FullModeQueueCapacity"] = "16" }, smallSendBuffers: true);
        var (client, _) = await ConnectAsync(server, receiveBufferBytes: 4096);
        await using var _ = client;
        await SubscribeAsync(client, SubscribeFull(5, "*"));
        var messages = await client.ReadForAsync(TimeSpan.FromMilliseconds(200));

        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        messages.AddRange(await client.ReadForAsync(TimeSpan.FromSeconds(1.5)));

        var notice = messages.Select(m => m.Body).OfType<NoticeMessage>().FirstOrDefault(n => n.Code == NoticeCode.DegradedToConflated);
        Assert.NotNull(notice);
        Assert.Equal(5, notice.SubscriptionId);
        var check = CheckStream(messages);
        Assert.True(check.Merged > 0);
    }

    [Fact]
    public async Task StalledReader_FullModeOverflowWithClosePolicy_NoticeThenClose4000()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:FullModeQueueCapacity"] = "16",
            ["MarketStream:Gateway:FullModeOverflow"] = "Close",
        }, smallSendBuffers: true);
        var (client, _) = await ConnectAsync(server, receiveBufferBytes: 4096);
        await using var _ = client;
        await SubscribeAsync(client, SubscribeFull(5, "*"));

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var sawNotice = false;
        try
        {
            while (true)
            {
                var m = await client.NextAsync();
                sawNotice |= m.Body is NoticeMessage { Code: NoticeCode.SlowConsumer };
            }
        }
        catch (InvalidOperationException)
        {
            // Closed.
        }

        Assert.True(sawNotice, "Notice 3 must precede the slow-consumer close");
        Assert.Equal((int)CloseCode.SlowConsumer, client.CloseCode);
    }

    [Fact]
    public async Task StalledReader_FullModeMaxLag_MergesToCatchUpWithNotice2_StreamStaysGapFree()
    {
        await using var server = await GatewayServer.StartAsync(smallSendBuffers: true);
        var (client, _) = await ConnectAsync(server, receiveBufferBytes: 4096);
        await using var _ = client;
        await SubscribeAsync(client, new SubscribeRequest(3, ["*"], SubscriptionMode.Full, 0, 300, []));
        var messages = await client.ReadForAsync(TimeSpan.FromMilliseconds(200));

        // The queue (4,096 by default) does not overflow in 1.5 s, but its oldest update gets older than 300 ms.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        messages.AddRange(await client.ReadForAsync(TimeSpan.FromSeconds(1.5)));

        var notices = messages.Select(m => m.Body).OfType<NoticeMessage>().ToList();
        var lag = notices.FirstOrDefault(n => n.Code == NoticeCode.MaxLagMerged);
        Assert.NotNull(lag);
        Assert.Equal(3, lag.SubscriptionId);
        Assert.True(lag.Value > 1, $"notice says {lag.Value} updates were merged");
        Assert.DoesNotContain(notices, n => n.Code == NoticeCode.DegradedToConflated);
        var check = CheckStream(messages);
        Assert.True(check.Merged > 0);
        Assert.True(check.Updates > 0, "full mode still delivers plain updates once caught up");
    }

    [Fact]
    public async Task StalledConflatedReader_PastSlowConsumerCloseLag_SessionEndedAsSlowConsumerAndRemoved()
    {
        // The lag rule (docs/operations.md, Tuning for slow consumers): a client that stops reading is
        // ended with 4000 once it is SlowConsumerCloseLag behind — with a close frame when the writer
        // loop sees the lag, or by dropping the connection when a send is already blocked on a full socket.
        var logs = new LogCapture();
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:SlowConsumerWarnLag"] = "00:00:00.300",
            ["MarketStream:Gateway:SlowConsumerCloseLag"] = "00:00:01.500",
        }, smallSendBuffers: true, configure: logs.Install);
        var (client, welcome) = await ConnectAsync(server, receiveBufferBytes: 4096);
        await using var _ = client;
        await SubscribeAsync(client, Subscribe(1, "*"));

        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // stops reading

        var code = await client.WaitForCloseAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(code, new int?[] { (int)CloseCode.SlowConsumer, 1006 });
        // 114: closed by the writer; 115 / 117: dropped by the timer while a send was blocked (send too long / lag too old).
        List<LogCapture.LogEntry> Closed() => [.. new[] { 114, 115, 117 }.SelectMany(id => logs.Find(id, "SessionId", welcome.SessionId))];
        var logUntil = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Closed().Count == 0 && DateTime.UtcNow < logUntil)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(100, TestContext.Current.CancellationToken); // a duplicate would be written just behind the first
        Assert.Single(Closed());

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var sessions = await http.GetFromJsonAsync<JsonElement>("/api/sessions", TestContext.Current.CancellationToken);
            if (!sessions.EnumerateArray().Any(s => s.GetProperty("id").GetString() == welcome.SessionId))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < until, "the slow consumer's session was not removed");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Backlog_FramesFilledUpToMaxFrameBytesNeverPastIt_StreamGapFree()
    {
        const int maxFrame = 4096; // the smallest allowed, so a backlog fills frames to the limit
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:MaxFrameBytes"] = maxFrame.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, smallSendBuffers: true);
        // Small socket buffers on both sides: the backlog stays in the outbox, where frames are packed.
        var (client, welcome) = await ConnectAsync(server, receiveBufferBytes: 4096);
        await using var _ = client;
        Assert.Equal(maxFrame, welcome.MaxFrameBytes);
        await SubscribeAsync(client, SubscribeFull(1, "*"));

        var messages = await client.ReadForAsync(TimeSpan.FromMilliseconds(200));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // a backlog builds
        messages.AddRange(await client.ReadForAsync(TimeSpan.FromSeconds(1)));

        Assert.InRange(client.LargestFrameBytes, maxFrame / 2, maxFrame);
        var check = CheckStream(messages);
        Assert.True(check.Updates > 0);
    }

    internal static async Task<JsonElement> SessionViewAsync(RunningServer server, string sessionId)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var sessions = await http.GetFromJsonAsync<JsonElement>("/api/sessions", TestContext.Current.CancellationToken);
        return sessions.EnumerateArray().Single(s => s.GetProperty("id").GetString() == sessionId);
    }
}
