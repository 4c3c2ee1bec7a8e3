using MarketStream.IntegrationTests.Gateway;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.Cluster;

/// <summary>
/// Scale-out over NATS (docs/architecture.md) with real processes: nats-server, an ingest node and two
/// gateways, each <c>dotnet MarketStream.Server.dll</c>, so killing a node is a real crash and
/// restarting nats-server a real broker outage. Tests in this class run one after another (one
/// deployment at a time on a 2-core machine).
/// </summary>
[Trait("Category", "Slow")]
public sealed class ScaleOutTests
{
    private const long T0 = 1_767_225_600_000_000_000;
    private static readonly string[] Watched = ["AAPL", "BRK.B", "EURUSD"];

    [Fact]
    public async Task IngestFeed_ClientsOnBothGateways_ReceiveWhatWasFedInOrderWithUpstreamPositions()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(gateways: 2, synthetic: false);
        await using var onIngest = await ScaleOutCluster.SubscribeAsync(cluster.Ingest, SubscriptionMode.Full, null, "BRK.B", "EURUSD");
        await using var publisher = await IngestTestClient.ConnectAsync(cluster.Ingest.IngestUri, ScaleOutCluster.PublisherToken());
        await publisher.ReceiveAsync<WelcomeMessage>();
        await publisher.ReceiveAsync<AuthenticatedMessage>();
        const int PerSymbol = 40;
        var ticks = new List<IngestTick>();
        for (var i = 0; i < PerSymbol; i++)
        {
            ticks.Add(IngestTestClient.Quote("EURUSD", T0 + (2 * i), 108_400 + i, 1_000 + i, 108_410 + i, 2_000 + i));
            ticks.Add(IngestTestClient.Trade("BRK.B", T0 + (2 * i) + 1, 36_210 + i, 10 + i, i % 2 == 0 ? TradeSide.Buy : TradeSide.Sell));
        }

        // Update 1 of each symbol first: it starts the upstream epoch on every gateway.
        await publisher.SendAsync(new IngestTicksRequest(1, ticks[..2]));
        await publisher.ReceiveAsync<IngestAckMessage>();
        foreach (var gateway in cluster.Gateways)
        {
            await gateway.WaitUntilAsync("/api/cluster", static j => j.GetProperty("epochStarts").GetInt64() == 2);
        }

        await using var onA = await ScaleOutCluster.SubscribeAsync(cluster.Gateways[0], SubscriptionMode.Full, null, "BRK.B", "EURUSD");
        await using var onB = await ScaleOutCluster.SubscribeAsync(cluster.Gateways[1], SubscriptionMode.Full, null, "BRK.B", "EURUSD");
        await publisher.SendAsync(new IngestTicksRequest(2, ticks[2..40]));
        await publisher.ReceiveAsync<IngestAckMessage>();
        await publisher.SendAsync(new IngestTicksRequest(3, ticks[40..]));
        Assert.Equal(40, (await publisher.ReceiveAsync<IngestAckMessage>()).Accepted);

        // The ingest node's own subscriber is the reference: seq 1..40 per symbol, as fed.
        var reference = await ReadPositionsAsync(onIngest, through: PerSymbol, symbols: 2);
        foreach (var name in new[] { "EURUSD", "BRK.B" })
        {
            var fed = ticks.Where(t => t.Symbol == name);
            var updates = reference.UpdatesOf(name);
            Assert.Equal(Enumerable.Range(1, PerSymbol).Select(i => (long)i), updates.Select(u => u.Seq));
            Assert.Equal(fed.Select(t => (t.Tick.BidPrice, t.Tick.AskPrice, t.Tick.Price, t.Tick.Size, t.Tick.ExchangeTimeNs)),
                updates.Select(u => (u.BidPrice, u.AskPrice, u.Price, u.Size, u.ExchangeTimeNs)));
        }

        // Each gateway: a snapshot at the upstream (epoch, 1) holding update 1, then updates 2..40
        // identical to the ingest node's, same epoch and seq.
        foreach (var client in new[] { onA, onB })
        {
            var seen = await ReadPositionsAsync(client, through: PerSymbol, symbols: 2);
            Assert.DoesNotContain(seen.Messages, m => m.Type is MessageType.Reset or MessageType.Merged);
            foreach (var name in new[] { "EURUSD", "BRK.B" })
            {
                var expected = reference.UpdatesOf(name);
                var snapshot = seen.Messages.Select(m => m.Body).OfType<SnapshotMessage>().Single(s => s.Symbol.Name == name).State;
                Assert.Equal((expected[0].Epoch, 1L), (snapshot.Epoch, snapshot.Seq));
                Assert.Equal(expected[0].BidPrice + expected[0].Price, snapshot.BidPrice + snapshot.LastPrice);
                Assert.Equal(expected.Skip(1).Select(Fields), seen.UpdatesOf(name).Select(Fields));
            }
        }
    }

    [Fact]
    public async Task TwoGateways_SameSymbols_DeliverIdenticalSequences()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(gateways: 2, synthetic: true);
        await using var onA = await ScaleOutCluster.SubscribeAsync(cluster.Gateways[0], SubscriptionMode.Full, null, Watched);
        await using var onB = await ScaleOutCluster.SubscribeAsync(cluster.Gateways[1], SubscriptionMode.Full, null, Watched);

        var readA = onA.ReadForAsync(TimeSpan.FromSeconds(1.5));
        var readB = onB.ReadForAsync(TimeSpan.FromSeconds(1.5));
        var a = await readA;
        var b = await readB;
        GatewayTestKit.CheckStream(a);
        GatewayTestKit.CheckStream(b);

        var common = 0;
        foreach (var name in Watched)
        {
            var fromA = Stream.Of(a).UpdatesOf(name).ToDictionary(u => (u.Epoch, u.Seq));
            var fromB = Stream.Of(b).UpdatesOf(name);
            foreach (var update in fromB)
            {
                if (fromA.TryGetValue((update.Epoch, update.Seq), out var same))
                {
                    Assert.Equal(Fields(same), Fields(update));
                    common++;
                }
            }
        }

        Assert.True(common > 20, $"only {common} updates in common");
    }

    [Fact]
    public async Task GatewayKilled_ClientResumesOnOtherGateway_NoGapNoDuplicate()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(gateways: 2, synthetic: true);
        var onA = await ScaleOutCluster.SubscribeAsync(cluster.Gateways[0], SubscriptionMode.Full, null, Watched);
        var before = Stream.Of(await ReadUntilEachTickedAsync(onA, Watched, null));
        GatewayTestKit.CheckStream(before.Messages);

        cluster.Gateways[0].Kill();
        Assert.NotNull(await onA.WaitForCloseAsync());
        await onA.DisposeAsync();

        var positions = Watched.Select(name => before.LastPosition(name)).ToArray();
        Assert.All(positions, p => Assert.True(p.Seq > 0, $"{p.Symbol} never ticked on A"));
        await using var onB = await ScaleOutCluster.SubscribeAsync(cluster.Gateways[1], SubscriptionMode.Full, positions, Watched);
        var after = Stream.Of(await ReadUntilEachTickedAsync(onB, Watched, before.Names), before.Names);

        // Resumed from history: no snapshot or reset, and per symbol the first update is the one
        // after the last seen on A, then every seq in turn.
        Assert.DoesNotContain(after.Messages, m => m.Type is MessageType.Snapshot or MessageType.Reset);
        foreach (var position in positions)
        {
            var seqs = after.UpdatesOf(position.Symbol).Select(u => (u.Epoch, u.Seq)).ToList();
            Assert.NotEmpty(seqs);
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (position.Epoch, position.Seq + i)), seqs);
        }
    }

    [Fact]
    public async Task NatsServerRestart_EverySymbolResynchronises_ClientsGetResetsNeverAGap()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(gateways: 1, synthetic: true);
        var gateway = cluster.Gateways[0];
        await using var client = await ScaleOutCluster.SubscribeAsync(gateway, SubscriptionMode.Conflated, null, "*");
        var symbols = (await gateway.GetJsonAsync("/api/symbols")).GetArrayLength();
        var stream = await client.ReadForAsync(TimeSpan.FromMilliseconds(500));
        var recoveriesBefore = (await gateway.GetJsonAsync("/api/cluster")).GetProperty("recoveries").GetInt64();
        // Symbols the gateway has certainly seen upstream before the outage (a quiet symbol may not have
        // ticked yet, and the gateway only tracks what it has seen): each of them must resynchronise.
        var seen = stream.Where(m => m.Type is MessageType.Update or MessageType.Merged)
            .Select(m => m.Type == MessageType.Update ? m.Update.SymbolId : m.Merged.SymbolId).Distinct().Count();
        Assert.True(seen > symbols / 2, $"only {seen} of {symbols} symbols ticked in 0.5 s");

        cluster.Nats.Kill();
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // the ingest node keeps sequencing; nothing reaches NATS
        await cluster.Nats.RestartAsync();

        // Every symbol the gateway knows asks for a snapshot once it is back, and all are answered.
        await cluster.Ingest.WaitUntilAsync("/api/cluster", static j => j.GetProperty("connected").GetBoolean() && j.GetProperty("publishDropped").GetInt64() > 0);
        await gateway.WaitUntilAsync("/api/cluster", j => j.GetProperty("connected").GetBoolean()
            && j.GetProperty("recovering").GetInt32() == 0
            && j.GetProperty("recoveries").GetInt64() - recoveriesBefore >= seen);
        stream.AddRange(await client.ReadForAsync(TimeSpan.FromSeconds(1)));

        // What the client saw across the outage: per symbol, every update continues the last seq,
        // or a reset re-bases it; never a silent skip. Symbols that moved while NATS was away reset.
        AssertContiguousAcrossResets(stream);
        var resets = stream.Count(m => m.Type == MessageType.Reset);
        Assert.True(resets >= symbols / 2, $"{resets} resets for {symbols} symbols after a 1 s outage at 2,000 ticks/s");
    }

    [Fact]
    public async Task IngestRestart_NewEpoch_ClientsOnGatewayGetResetToIt()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(gateways: 1, synthetic: true);
        await using var client = await ScaleOutCluster.SubscribeAsync(cluster.Gateways[0], SubscriptionMode.Full, null, "AAPL");
        var before = Stream.Of(await client.ReadForAsync(TimeSpan.FromMilliseconds(500)));
        var old = before.LastPosition("AAPL");
        Assert.True(old.Seq > 0);

        await cluster.RestartIngestAsync();

        var reset = await client.NextAsync(m => m.Body is ResetMessage r && r.State.Epoch != old.Epoch, TimeSpan.FromSeconds(30));
        var state = ((ResetMessage)reset.Body!).State;
        Assert.True(state.Epoch > old.Epoch, $"new epoch {state.Epoch} after {old.Epoch}");
        Assert.True(state.Seq < old.Seq || state.Seq < 100, $"the new epoch restarts its sequence (reset at {state.Seq})");
        // The new node is still warming up: wait for a few updates rather than a fixed time.
        var next = new List<Tick>();
        while (next.Count < 5)
        {
            next.Add((await client.NextAsync(static m => m.Type is MessageType.Update or MessageType.Reset or MessageType.Snapshot, TimeSpan.FromSeconds(10))).Update);
        }

        Assert.Equal(Enumerable.Range(1, next.Count).Select(i => (state.Epoch, state.Seq + i)), next.Select(u => (u.Epoch, u.Seq)));
    }

    /// <summary>Per symbol: every update or merged range starts right after the last seen, or a snapshot/reset re-bases it (docs/protocol.md §2.4).</summary>
    private static void AssertContiguousAcrossResets(List<ServerMessage> messages)
    {
        var last = new Dictionary<int, long>();
        foreach (var m in messages)
        {
            if (m.Body is ResetMessage r)
            {
                last[r.Symbol.Id] = r.State.Seq;
            }
            else if (m.Body is SnapshotMessage s)
            {
                last[s.Symbol.Id] = s.State.Seq;
            }
            else if (m.Type == MessageType.Merged && last.TryGetValue(m.Merged.SymbolId, out var before))
            {
                Assert.Equal(before + 1, m.Merged.FirstSeq);
                last[m.Merged.SymbolId] = m.Merged.LastSeq;
            }
            else if (m.Type == MessageType.Update && last.TryGetValue(m.Update.SymbolId, out var previous))
            {
                Assert.Equal(previous + 1, m.Update.Seq);
                last[m.Update.SymbolId] = m.Update.Seq;
            }
        }
    }

    private static (long, long, TickKind, long, long, long, long, long) Fields(Tick t) =>
        (t.Epoch, t.Seq, t.Kind, t.BidPrice, t.AskPrice, t.Price, t.Size, t.ExchangeTimeNs);

    /// <summary>Reads until every one of <paramref name="symbols"/> symbols reached seq <paramref name="through"/>.</summary>
    private static async Task<Stream> ReadPositionsAsync(ProtocolClient client, long through, int symbols)
    {
        var messages = new List<ServerMessage>();
        var stream = new Stream(messages);
        while (stream.Last.Count < symbols || stream.Last.Values.Any(p => p.Seq < through))
        {
            messages.Add(await client.NextNonHeartbeatAsync(TimeSpan.FromSeconds(10)));
            stream.Track(messages[^1]);
        }

        return stream;
    }

    /// <summary>A received stream with positions per symbol name (names from snapshots and resets).</summary>
    /// <summary>
    /// Reads a second at a time until each of <paramref name="symbols"/> has an update (at most ten
    /// seconds): on a loaded machine a gateway can take more than one second to deliver a symbol's
    /// next tick, and a fixed one-second window then fails for the machine's sake, not the code's.
    /// </summary>
    private static async Task<List<ServerMessage>> ReadUntilEachTickedAsync(ProtocolClient client, string[] symbols, IReadOnlyDictionary<int, string>? names)
    {
        var messages = await client.ReadForAsync(TimeSpan.FromSeconds(1));
        for (var second = 1; second < 10 && symbols.Any(name => !Stream.Of(messages, names).UpdatesOf(name).Any()); second++)
        {
            messages.AddRange(await client.ReadForAsync(TimeSpan.FromSeconds(1)));
        }

        return messages;
    }

    private sealed class Stream(List<ServerMessage> messages, Dictionary<int, string>? names = null)
    {
        private readonly Dictionary<int, string> _names = names is null ? [] : new(names);

        public List<ServerMessage> Messages { get; } = messages;

        public Dictionary<string, (long Epoch, long Seq)> Last { get; } = [];

        /// <summary>Symbol id → name; ids are universe indices, the same on every node.</summary>
        public IReadOnlyDictionary<int, string> Names => _names;

        public static Stream Of(List<ServerMessage> messages, IReadOnlyDictionary<int, string>? names = null)
        {
            var stream = new Stream(messages, names?.ToDictionary());
            foreach (var m in messages)
            {
                stream.Track(m);
            }

            return stream;
        }

        public void Track(ServerMessage m)
        {
            switch (m.Body)
            {
                case SnapshotMessage s:
                    _names[s.Symbol.Id] = s.Symbol.Name;
                    Last[s.Symbol.Name] = (s.State.Epoch, s.State.Seq);
                    return;
                case ResetMessage r:
                    _names[r.Symbol.Id] = r.Symbol.Name;
                    Last[r.Symbol.Name] = (r.State.Epoch, r.State.Seq);
                    return;
            }

            if (m.Type == MessageType.Update && _names.TryGetValue(m.Update.SymbolId, out var name))
            {
                Last[name] = (m.Update.Epoch, m.Update.Seq);
            }
            else if (m.Type == MessageType.Merged && _names.TryGetValue(m.Merged.SymbolId, out var merged))
            {
                Last[merged] = (m.Merged.Epoch, m.Merged.LastSeq);
            }
        }

        public ResumePosition LastPosition(string name) =>
            Last.TryGetValue(name, out var p) ? new ResumePosition(name, p.Epoch, p.Seq) : new ResumePosition(name, 0, 0);

        public List<Tick> UpdatesOf(string name)
        {
            var id = _names.FirstOrDefault(kv => kv.Value == name, new KeyValuePair<int, string>(-1, "")).Key;
            return [.. Messages.Where(m => m.Type == MessageType.Update && m.Update.SymbolId == id).Select(m => m.Update)];
        }

        public List<SymbolSnapshot> ResetsOf(string name) =>
            [.. Messages.Select(m => m.Body).OfType<ResetMessage>().Where(r => r.Symbol.Name == name).Select(r => r.State)];
    }
}
