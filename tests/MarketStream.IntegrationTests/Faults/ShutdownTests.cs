using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Faults;

/// <summary>
/// SIGTERM under load (docs/operations.md, Graceful shutdown): every client of a real server process
/// gets close 1001, and resumes by (epoch, seq) on a new server instance — where the new epoch means a
/// Reset with a fresh snapshot for every symbol, never a silently continued or stale stream (§2.4).
/// </summary>
[Trait("Category", "Slow")]
public sealed class ShutdownTests
{
    private static readonly string[] Symbols = ["AAPL", "MSFT", "EURUSD", "BTCUSD"];

    [Fact]
    public async Task Sigterm_UnderLoad_EveryClientGets1001_AndResumesOnANewInstanceWithResets()
    {
        const int clients = 20;
        var settings = new Dictionary<string, string?>
        {
            ["MarketStream:Feeds:Synthetic:Rate"] = "2000",
            ["MarketStream:Gateway:ShutdownDrainTimeout"] = "00:00:05",
        };
        var positions = new Dictionary<string, (long Epoch, long Seq)>[clients];
        await using (var first = await ServerProcess.StartAsync("first", settings))
        {
            var connected = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                var client = await ProtocolClient.ConnectAsync(first.WebSocketUri);
                await SubscribeAsync(client, SubscribeFull(1, Symbols));
                return client;
            }));

            // Under load: every client is reading its stream when the signal arrives.
            var reading = connected.Select(ReadToCloseAsync).ToArray();
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(15)));

            var results = await Task.WhenAll(reading);
            for (var i = 0; i < clients; i++)
            {
                Assert.Equal((int)CloseCode.GoingAway, results[i].CloseCode);
                Assert.Equal(Symbols.Length, results[i].Positions.Count);
                positions[i] = results[i].Positions;
                await connected[i].DisposeAsync();
            }
        }

        await using var second = await ServerProcess.StartAsync("second", settings);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            await using var client = await ProtocolClient.ConnectAsync(second.WebSocketUri);
            var resume = positions[i].Select(p => new ResumePosition(p.Key, p.Value.Epoch, p.Value.Seq)).ToArray();
            await SubscribeAsync(client, new SubscribeRequest(2, Symbols, SubscriptionMode.Full, 0, 0, resume));
            var resets = new Dictionary<string, ResetMessage>();
            while (resets.Count < Symbols.Length)
            {
                var m = await client.NextAsync(static m => m.Body is ResetMessage or SnapshotMessage || m.Type is MessageType.Update or MessageType.Merged);
                var reset = Assert.IsType<ResetMessage>(m.Body); // nothing may arrive for a resumed symbol before its Reset
                Assert.Equal(2, reset.RequestId);
                Assert.NotEqual(positions[i][reset.Symbol.Name].Epoch, reset.State.Epoch);
                resets[reset.Symbol.Name] = reset;
            }
        }));
    }

    private static async Task<(int? CloseCode, Dictionary<string, (long Epoch, long Seq)> Positions)> ReadToCloseAsync(ProtocolClient client)
    {
        var names = new Dictionary<int, string>();
        var last = new Dictionary<string, (long, long)>();
        try
        {
            while (true)
            {
                var m = await client.NextAsync(TimeSpan.FromSeconds(20));
                switch (m.Body)
                {
                    case SubscribeAckMessage ack:
                        ack.Symbols.ToList().ForEach(s => names[s.Id] = s.Name);
                        break;
                    case SnapshotMessage s:
                        names[s.Symbol.Id] = s.Symbol.Name;
                        last[s.Symbol.Name] = (s.State.Epoch, s.State.Seq);
                        break;
                }

                if (m.Type == MessageType.Update)
                {
                    last[names[m.Update.SymbolId]] = (m.Update.Epoch, m.Update.Seq);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Closed by the server.
        }

        return (client.CloseCode, last);
    }
}
