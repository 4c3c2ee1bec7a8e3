using System.Net.Http.Json;
using System.Text.Json;
using MarketStream.Cluster;
using MarketStream.IntegrationTests.Gateway;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.Cluster;

/// <summary>Cluster settings and wiring in one in-process host (no broker needed), and the NATS payload and subject codecs.</summary>
public sealed class ClusterHostingTests
{
    [Fact]
    public async Task Gateway_NatsUnreachable_ServesClientsReportsDisconnectedAndStopsCleanly()
    {
        var url = $"nats://127.0.0.1:{NatsServerProcess.FreePort()}";
        var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Cluster:Role"] = "Gateway",
            ["MarketStream:Cluster:NatsUrl"] = url,
        });
        await using (server)
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var status = await http.GetFromJsonAsync<JsonElement>("/api/cluster", TestContext.Current.CancellationToken);
            Assert.Equal("Gateway", status.GetProperty("role").GetString());
            Assert.False(status.GetProperty("connected").GetBoolean());

            // No local feed runs on a gateway: a subscriber gets its snapshot and then nothing but heartbeats.
            var (client, _) = await GatewayTestKit.ConnectAsync(server);
            await using (client)
            {
                await GatewayTestKit.SubscribeAsync(client, GatewayTestKit.SubscribeFull(1, "AAPL"));
                var messages = await client.ReadForAsync(TimeSpan.FromMilliseconds(600));
                Assert.Equal(0, Assert.IsType<SnapshotMessage>(messages.First(m => m.Type == MessageType.Snapshot).Body).State.Seq);
                Assert.DoesNotContain(messages, m => m.Type is MessageType.Update or MessageType.Merged);
            }
        }
    }

    [Theory]
    [InlineData("MarketStream:Cluster:NatsUrl", "http://127.0.0.1:4222")]
    [InlineData("MarketStream:Cluster:SubjectPrefix", "ms.>")]
    [InlineData("MarketStream:Cluster:SnapshotTimeout", "00:00:00.001")]
    [InlineData("MarketStream:Cluster:Role", "Broker")]
    public async Task InvalidClusterSetting_StartFails_NamingTheKey(string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["MarketStream:Cluster:Role"] = "Gateway", [key] = value };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(settings));
        Assert.Contains(key.Replace("MarketStream:Cluster:", "", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateCodec_QuoteAndTrade_RoundTripEveryField_RejectsBadPayloads()
    {
        Span<byte> buffer = stackalloc byte[UpdateCodec.MaxLength];
        var quote = new Tick { Kind = TickKind.Quote, Epoch = 1_795_000_000_000, Seq = 42, BidPrice = 108_431, BidSize = 5, AskPrice = 108_433, AskSize = 7, ExchangeTimeNs = 11, ReceiveTimeNs = 12, ServerTimeNs = 13, Conditions = 3 };
        var trade = new Tick { Kind = TickKind.Trade, Epoch = 9, Seq = 1, Price = 36_210, Size = 10, Side = TradeSide.Sell, ExchangeTimeNs = 21, ReceiveTimeNs = 22, ServerTimeNs = 23 };
        foreach (var original in new[] { quote, trade })
        {
            var length = UpdateCodec.Write(in original, buffer);
            var read = default(Tick);
            Assert.True(UpdateCodec.TryRead(buffer[..length], ref read, out var upstreamServer));
            Assert.Equal(original.ServerTimeNs, upstreamServer);
            read.ServerTimeNs = original.ServerTimeNs;
            Assert.Equal(original, read);
            Assert.False(UpdateCodec.TryRead(buffer[..(length - 1)], ref read, out _));
        }

        UpdateCodec.Write(in quote, buffer);
        buffer[0] = 2; // unknown version
        var ignored = default(Tick);
        Assert.False(UpdateCodec.TryRead(buffer[..UpdateCodec.QuoteLength], ref ignored, out _));
    }

    [Fact]
    public void Subjects_SymbolWithDot_MapsToOneTokenAndBack()
    {
        var subjects = new ClusterSubjects("ms");
        Assert.Equal("ms.u.BRK~B", subjects.Update("BRK.B"));
        Assert.Equal("ms.snap.BRK~B", subjects.Snapshot("BRK.B"));
        Assert.Equal("ms.u.>", subjects.AllUpdates);
        Span<char> name = stackalloc char[32];
        Assert.True(ClusterSubjects.TryGetSymbol("ms.u.BRK~B", subjects.UpdatePrefix, name, out var length));
        Assert.Equal("BRK.B", name[..length].ToString());
        Assert.False(ClusterSubjects.TryGetSymbol("other.u.X", subjects.UpdatePrefix, name, out _));
    }

    [Fact]
    public void ClusterOptions_Defaults_AreValidAndEmbedded()
    {
        var options = new ClusterOptions();
        Assert.Equal(ClusterRole.Embedded, options.Role);
        Assert.True(new ClusterOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new ClusterOptionsValidator().Validate(null, new ClusterOptions { Role = ClusterRole.Ingest, NatsUrl = "nats://a:4222, tls://b:4222" }).Succeeded);
    }
}
