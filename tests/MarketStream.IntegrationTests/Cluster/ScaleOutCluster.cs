using MarketStream.IntegrationTests.Gateway;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using Microsoft.Extensions.Options;

namespace MarketStream.IntegrationTests.Cluster;

/// <summary>
/// One scale-out deployment for a test: its own nats-server, an ingest node and gateways, each a
/// separate <c>dotnet MarketStream.Server.dll</c> process, so a test can kill any of them for real.
/// </summary>
internal sealed class ScaleOutCluster : IAsyncDisposable
{
    private ScaleOutCluster(NatsServerProcess nats, ServerProcess ingest, ServerProcess[] gateways, bool synthetic)
    {
        Nats = nats;
        Ingest = ingest;
        Gateways = gateways;
        Synthetic = synthetic;
    }

    public NatsServerProcess Nats { get; }

    public ServerProcess Ingest { get; private set; }

    public ServerProcess[] Gateways { get; }

    private bool Synthetic { get; }

    /// <summary>
    /// Starts nats-server, then the ingest node and <paramref name="gateways"/> gateways in
    /// parallel, and waits until every node is connected (gateways subscribed). With
    /// <paramref name="synthetic"/> the ingest node runs the seeded synthetic feed at 2,000 ticks/s;
    /// without it only the /ingest endpoint feeds it.
    /// </summary>
    public static async Task<ScaleOutCluster> StartAsync(int gateways, bool synthetic)
    {
        var nats = await NatsServerProcess.StartAsync();
        var ingest = ServerProcess.StartAsync("ingest", IngestSettings(nats, synthetic));
        var gatewayTasks = Enumerable.Range(0, gateways).Select(i => ServerProcess.StartAsync($"gateway-{(char)('A' + i)}", GatewaySettings(nats))).ToArray();
        var cluster = new ScaleOutCluster(nats, await ingest, await Task.WhenAll(gatewayTasks), synthetic);
        foreach (var node in cluster.Gateways.Append(cluster.Ingest))
        {
            await node.WaitUntilAsync("/api/cluster", static j => j.GetProperty("connected").GetBoolean());
        }

        return cluster;
    }

    /// <summary>Kills the ingest node and starts a new one on the same NATS (it takes a new epoch).</summary>
    public async Task RestartIngestAsync()
    {
        Ingest.Kill();
        await Ingest.DisposeAsync();
        Ingest = await ServerProcess.StartAsync("ingest-2", IngestSettings(Nats, Synthetic));
    }

    public static Dictionary<string, string?> IngestSettings(NatsServerProcess nats, bool synthetic) => new()
    {
        ["MarketStream:Cluster:Role"] = "Ingest",
        ["MarketStream:Cluster:NatsUrl"] = nats.Url,
        ["MarketStream:Feeds:Synthetic:Enabled"] = synthetic ? "true" : "false",
        ["MarketStream:Feeds:Synthetic:Rate"] = "2000",
        ["MarketStream:Feeds:Synthetic:Seed"] = "42",
        ["MarketStream:Feeds:Ingest:Enabled"] = "true",
        ["MarketStream:Auth:SigningKey"] = GatewayTestKit.SigningKey,
        ["MarketStream:Gateway:HeartbeatInterval"] = "00:00:00.200",
    };

    public static Dictionary<string, string?> GatewaySettings(NatsServerProcess nats) => new()
    {
        ["MarketStream:Cluster:Role"] = "Gateway",
        ["MarketStream:Cluster:NatsUrl"] = nats.Url,
        ["MarketStream:Cluster:SnapshotTimeout"] = "00:00:00.500",
        ["MarketStream:Gateway:HeartbeatInterval"] = "00:00:00.200",
    };

    /// <summary>A publisher token the ingest node accepts (same signing key).</summary>
    public static string PublisherToken() =>
        new TokenService(Options.Create(new AuthOptions { SigningKey = GatewayTestKit.SigningKey }))
            .Issue("feed-1", TokenRole.Publisher, ["*"], TimeSpan.FromMinutes(5));

    /// <summary>Connects a subscriber to <paramref name="node"/> and subscribes (full mode unless told), returning the client with the ack read.</summary>
    public static async Task<ProtocolClient> SubscribeAsync(ServerProcess node, SubscriptionMode mode, IReadOnlyList<ResumePosition>? resume, params string[] symbols)
    {
        var client = await ProtocolClient.ConnectAsync(node.WebSocketUri);
        Assert.IsType<WelcomeMessage>((await client.NextAsync()).Body);
        var request = new SubscribeRequest(client.NextRequestId(), symbols, mode, 0, 0, resume ?? []);
        await GatewayTestKit.SubscribeAsync(client, request);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in Gateways)
        {
            await gateway.DisposeAsync();
        }

        await Ingest.DisposeAsync();
        await Nats.DisposeAsync();
    }
}
