using System.Diagnostics;
using MarketStream.Core.Symbols;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Model;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using MarketStream.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>
/// Subscribe's per-subscription limits on /ws (docs/protocol.md §4.2: maxRateMs, maxLagMs) and wildcard
/// subscriptions reaching symbols added at run time (§2.1). Ticks come from the ingest endpoint only, so
/// the test knows exactly what was published and when.
/// </summary>
public sealed class SubscriptionOptionsTests
{
    private const long T0 = 1_767_225_600_000_000_000;

    private static readonly Dictionary<string, string?> IngestOnly = new()
    {
        ["MarketStream:Feeds:Synthetic:Enabled"] = "false",
        ["MarketStream:Feeds:Ingest:Enabled"] = "true",
    };

    [Fact]
    public async Task MaxRate_UpdatesOfASymbolAtLeastNmsApart_TrailingEdgeDeliversTheLatestValue()
    {
        const int maxRateMs = 400;
        await using var server = await GatewayServer.StartAsync(IngestOnly);
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;
        await SubscribeAsync(client, new SubscribeRequest(1, ["EURUSD"], SubscriptionMode.Conflated, maxRateMs, 0, []));
        var snapshot = await client.NextAsync(static m => m.Type == MessageType.Snapshot);
        await using var publisher = await ConnectPublisherAsync(server);

        // Ten quotes, one every 100 ms: without the limit that is ten deliveries.
        var publishing = Task.Run(async () =>
        {
            for (var i = 1; i <= 10; i++)
            {
                await publisher.SendAsync(new IngestTicksRequest(i, [IngestTestClient.Quote("EURUSD", T0 + i, 108_400 + i, 1_000_000, 108_500 + i, 1_000_000)]));
                await publisher.ReceiveAsync<IngestAckMessage>();
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        var received = new List<ServerMessage> { snapshot };
        var arrivals = new List<(TimeSpan At, ServerMessage Message)>();
        while (arrivals.Count == 0 || LastSeq(arrivals[^1].Message) < 10)
        {
            var m = await client.NextAsync(static m => m.Type is MessageType.Update or MessageType.Merged, TimeSpan.FromSeconds(5));
            arrivals.Add((clock.Elapsed, m));
            received.Add(m);
        }

        await publishing;
        CheckStream(received);
        var last = arrivals[^1].Message;
        Assert.Equal(108_410, last.Type == MessageType.Merged ? last.Merged.BidPrice : last.Update.BidPrice);
        Assert.InRange(arrivals.Count, 2, 5);
        for (var i = 1; i < arrivals.Count; i++)
        {
            // Receive times, so allow a little for a frame that waited in the client's socket.
            Assert.True(arrivals[i].At - arrivals[i - 1].At >= TimeSpan.FromMilliseconds(maxRateMs - 60), $"deliveries {i - 1} and {i} only {(arrivals[i].At - arrivals[i - 1].At).TotalMilliseconds} ms apart");
        }

        Assert.Contains(arrivals, a => a.Message.Type == MessageType.Merged && a.Message.Merged.Count > 1);
    }

    [Fact]
    public async Task SymbolAddedAtRunTime_ReachesWildcardSubscriber_NotOthers()
    {
        await using var server = await GatewayServer.StartAsync(IngestOnly);
        var (wide, _) = await ConnectAsync(server);
        var (narrow, _) = await ConnectAsync(server);
        await using var _w = wide;
        await using var _n = narrow;
        var ack = await SubscribeAsync(wide, Subscribe(4, "EUR*"));
        await SubscribeAsync(narrow, Subscribe(5, "EURUSD"));
        Assert.DoesNotContain(ack.Symbols, s => s.Name == "EURNOK");

        server.Services.GetRequiredService<EngineHost>().Registry.GetOrAdd(new SymbolDefinition("EURNOK", 4, 0, "NOK", "TEST"));
        var snapshot = await wide.NextAsync(static m => m.Body is SnapshotMessage { Symbol.Name: "EURNOK" });
        var definition = ((SnapshotMessage)snapshot.Body!).Symbol;
        Assert.Equal(4, ((SnapshotMessage)snapshot.Body!).RequestId);
        Assert.Equal((4, 0, "NOK"), (definition.PriceScale, definition.SizeScale, definition.Currency));
        Assert.Equal(0, ((SnapshotMessage)snapshot.Body!).State.Seq);
        var others = await narrow.ReadForAsync(TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain(others, m => m.Body is SnapshotMessage { Symbol.Name: "EURNOK" });
    }

    private static async Task<IngestTestClient> ConnectPublisherAsync(RunningServer server)
    {
        var token = server.Services.GetRequiredService<TokenService>().Issue("feed-1", TokenRole.Publisher, [], TimeSpan.FromMinutes(5));
        var publisher = await IngestTestClient.ConnectAsync(IngestTestClient.IngestUri(server), token);
        await publisher.ReceiveAsync<WelcomeMessage>();
        await publisher.ReceiveAsync<AuthenticatedMessage>();
        return publisher;
    }

    private static long LastSeq(ServerMessage m) => m.Type == MessageType.Merged ? m.Merged.LastSeq : m.Update.Seq;
}
