using System.Diagnostics;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.Cluster;

/// <summary>
/// Cluster epochs, with real processes (nats-server, ingest node, gateway): a restarted
/// ingest node moves every symbol on the gateways to its new epoch promptly, quiet ones included;
/// its first updates are not lost before NATS is connected; and a gap repair reaches a client as an
/// unsolicited Reset (requestId 0, reason 2, docs/protocol.md §2.4, §4.14).
/// </summary>
public sealed class IngestRestartTests
{
    private const long T0 = 1_767_225_600_000_000_000;

    /// <summary>"Promptly" (docs/operations.md, Cluster: within 2 s): from the moment the new ingest node reports itself connected.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task IngestRestart_QuietSymbol_MovesToNewEpochWithinTwoSeconds()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(gateways: 1, synthetic: false);
        var gateway = cluster.Gateways[0];
        await PublishAsync(cluster.Ingest, [.. Enumerable.Range(0, 5).Select(i => IngestTestClient.Quote("EURUSD", T0 + i, 108_400 + i, 1_000, 108_410 + i, 2_000))]);
        await gateway.WaitUntilAsync("/api/cluster", static j => j.GetProperty("epochStarts").GetInt64() == 1);
        // A restart is recognised for a node whose announcement the gateway heard (docs/operations.md, Cluster).
        await gateway.WaitUntilAsync("/api/cluster", static j => j.GetProperty("ingestNodes").GetInt32() == 1);
        await using var existing = await ScaleOutCluster.SubscribeAsync(gateway, SubscriptionMode.Full, null, "EURUSD");
        var before = (await existing.ExpectAsync<SnapshotMessage>()).State;
        Assert.Equal(5, before.Seq);

        // EURUSD does not tick again after the restart: only the epoch announcement can move it.
        await cluster.RestartIngestAsync();
        await cluster.Ingest.WaitUntilAsync("/api/cluster", static j => j.GetProperty("connected").GetBoolean());

        var reset = (ResetMessage)(await existing.NextAsync(static m => m.Body is ResetMessage, Prompt)).Body!;
        Assert.Equal((0L, ResetReason.EpochChanged), (reset.RequestId, reset.Reason));
        Assert.True(reset.State.Epoch > before.Epoch, $"new epoch {reset.State.Epoch} after {before.Epoch}");
        Assert.Equal(0, reset.State.Seq); // nothing sequenced since the restart
        Assert.False(reset.State.HasQuote);

        // It is the new ingest node's epoch, and a new subscriber on the gateway gets it too.
        await using var onIngest = await ScaleOutCluster.SubscribeAsync(cluster.Ingest, SubscriptionMode.Full, null, "EURUSD");
        Assert.Equal(reset.State.Epoch, (await onIngest.ExpectAsync<SnapshotMessage>()).State.Epoch);
        await using var newcomer = await ScaleOutCluster.SubscribeAsync(gateway, SubscriptionMode.Full, null, "EURUSD");
        var snapshot = (await newcomer.ExpectAsync<SnapshotMessage>()).State;
        Assert.Equal((reset.State.Epoch, 0L), (snapshot.Epoch, snapshot.Seq));

        // The stream continues in the new epoch from seq 1, with no further reset.
        await PublishAsync(cluster.Ingest, [IngestTestClient.Quote("EURUSD", T0 + 100, 108_500, 1_000, 108_510, 2_000)]);
        foreach (var client in new[] { existing, newcomer })
        {
            var next = await client.NextAsync(static m => m.Type is MessageType.Update or MessageType.Reset or MessageType.Snapshot);
            Assert.Equal((MessageType.Update, reset.State.Epoch, 1L, 108_500L), (next.Type, next.Update.Epoch, next.Update.Seq, next.Update.BidPrice));
        }
    }

    [Fact]
    public async Task IngestRestart_OpeningQuotes_AllReachTheGatewayAndEverySymbolMovesPromptly()
    {
        // 2 ticks/s over ~100 symbols: after the opening quote nearly every symbol is quiet.
        await using var nats = await NatsServerProcess.StartAsync();
        var ingestSettings = ScaleOutCluster.IngestSettings(nats, synthetic: true);
        ingestSettings["MarketStream:Feeds:Synthetic:Rate"] = "2";
        await using var gateway = await ServerProcess.StartAsync("gateway", ScaleOutCluster.GatewaySettings(nats));
        var ingest = await ServerProcess.StartAsync("ingest", ingestSettings);
        try
        {
            foreach (var node in new[] { gateway, ingest })
            {
                await node.WaitUntilAsync("/api/cluster", static j => j.GetProperty("connected").GetBoolean());
            }

            await gateway.WaitUntilAsync("/api/cluster", static j => j.GetProperty("ingestNodes").GetInt32() == 1);
            var symbols = (await gateway.GetJsonAsync("/api/symbols")).GetArrayLength();
            await using var existing = await ScaleOutCluster.SubscribeAsync(gateway, SubscriptionMode.Full, null, "*");
            var initial = await ReadSnapshotsAsync(existing, symbols);

            ingest.Kill();
            await ingest.DisposeAsync();
            var receivedBefore = (await gateway.GetJsonAsync("/api/cluster")).GetProperty("received").GetInt64();
            ingest = await ServerProcess.StartAsync("ingest-2", ingestSettings);
            await ingest.WaitUntilAsync("/api/cluster", static j => j.GetProperty("connected").GetBoolean());
            var back = Stopwatch.StartNew();

            // Every symbol: an unsolicited Reset to the new epoch, within the prompt bound.
            // (A reset within the old epochs, a first sight repaired before the kill, is not counted.)
            var oldEpoch = initial.Max(s => s.State.Epoch);
            var resets = new Dictionary<int, ResetMessage>();
            while (resets.Count < symbols)
            {
                var remaining = Prompt - back.Elapsed;
                Assert.True(remaining > TimeSpan.Zero, $"{resets.Count} of {symbols} symbols reset within {Prompt}");
                var reset = (ResetMessage)(await existing.NextAsync(m => m.Body is ResetMessage r && r.State.Epoch > oldEpoch, remaining)).Body!;
                Assert.Equal((0L, ResetReason.EpochChanged), (reset.RequestId, reset.Reason));
                resets[reset.Symbol.Id] = reset;
            }

            var epoch = resets.Values.Max(r => r.State.Epoch);
            Assert.All(resets.Values, r => Assert.Equal(epoch, r.State.Epoch));

            // The opening quotes (they may follow the resets: a symbol the new node has not sequenced
            // yet is reset to its seq 0): none dropped by the ingest node, every one received by the gateway.
            await ingest.WaitUntilAsync("/api/cluster", j => j.GetProperty("published").GetInt64() >= symbols);
            var ingestFigures = await ingest.GetJsonAsync("/api/cluster");
            Assert.Equal(0, ingestFigures.GetProperty("publishDropped").GetInt64());
            var published = ingestFigures.GetProperty("published").GetInt64();
            await gateway.WaitUntilAsync("/api/cluster", j => j.GetProperty("received").GetInt64() - receivedBefore >= published);

            // A new subscriber: every symbol in the new epoch, holding its opening quote.
            await using var newcomer = await ScaleOutCluster.SubscribeAsync(gateway, SubscriptionMode.Full, null, "*");
            var snapshots = await ReadSnapshotsAsync(newcomer, symbols);
            Assert.All(snapshots, s => Assert.True(s.State.Epoch == epoch && s.State.Seq >= 1 && s.State.HasQuote, $"{s.Symbol.Name}: {s.State.Epoch}/{s.State.Seq}"));
        }
        finally
        {
            await ingest.DisposeAsync();
        }
    }

    [Fact]
    public async Task NatsOutage_AfterResumeAtCurrentPosition_GapRepairResetHasRequestIdZeroAndReasonTwo()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(gateways: 1, synthetic: false);
        var gateway = cluster.Gateways[0];
        await PublishAsync(cluster.Ingest, [.. Enumerable.Range(0, 3).Select(i => IngestTestClient.Quote("EURUSD", T0 + i, 108_400 + i, 1_000, 108_410 + i, 2_000))]);
        await gateway.WaitUntilAsync("/api/cluster", static j => j.GetProperty("epochStarts").GetInt64() == 1);
        long epoch;
        await using (var first = await ScaleOutCluster.SubscribeAsync(gateway, SubscriptionMode.Full, null, "EURUSD"))
        {
            epoch = (await first.ExpectAsync<SnapshotMessage>()).State.Epoch;
        }

        // Resuming exactly where the stream stands: nothing to replay, so no message answers the Subscribe.
        await using var client = await ScaleOutCluster.SubscribeAsync(gateway, SubscriptionMode.Full, [new ResumePosition("EURUSD", epoch, 3)], "EURUSD");

        cluster.Nats.Kill();
        await PublishAsync(cluster.Ingest, [IngestTestClient.Quote("EURUSD", T0 + 10, 108_500, 1_000, 108_510, 2_000)]);
        await cluster.Ingest.WaitUntilAsync("/api/cluster", static j => j.GetProperty("publishDropped").GetInt64() == 1);
        await cluster.Nats.RestartAsync();

        // Seq 4 never reached the gateway: it repairs the gap with a snapshot, an unsolicited reset.
        var reset = (ResetMessage)(await client.NextAsync(static m => m.Body is ResetMessage or SnapshotMessage or ErrorMessage, TimeSpan.FromSeconds(15))).Body!;
        Assert.Equal((0L, ResetReason.EpochChanged), (reset.RequestId, reset.Reason));
        Assert.Equal((epoch, 4L, 108_500L), (reset.State.Epoch, reset.State.Seq, reset.State.BidPrice));
    }

    private static async Task PublishAsync(ServerProcess ingest, IReadOnlyList<IngestTick> ticks)
    {
        await using var publisher = await IngestTestClient.ConnectAsync(ingest.IngestUri, ScaleOutCluster.PublisherToken());
        await publisher.ReceiveAsync<WelcomeMessage>();
        await publisher.ReceiveAsync<AuthenticatedMessage>();
        await publisher.SendAsync(new IngestTicksRequest(1, ticks));
        Assert.Equal(ticks.Count, (await publisher.ReceiveAsync<IngestAckMessage>()).Accepted);
    }

    private static async Task<List<SnapshotMessage>> ReadSnapshotsAsync(ProtocolClient client, int symbols)
    {
        var snapshots = new List<SnapshotMessage>();
        while (snapshots.Count < symbols)
        {
            snapshots.Add(await client.ExpectAsync<SnapshotMessage>(TimeSpan.FromSeconds(10)));
        }

        return snapshots;
    }
}
