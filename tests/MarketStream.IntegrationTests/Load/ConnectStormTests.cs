using System.Diagnostics;
using MarketStream.IntegrationTests.Faults;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.Load;

/// <summary>
/// Load held (docs/operations.md, "Load held"): a storm of 10,000 WebSocket connections opened concurrently against a real
/// server process (its own file-descriptor budget; the test process holds only the client ends). Every
/// one must be upgraded and welcomed, and a healthy client streaming alongside must see no gap and no
/// stall. <c>STORM_CONNECTIONS</c> changes the count (docs/operations.md, Reliability figures).
/// </summary>
[Trait("Category", "Slow")]
public sealed class ConnectStormTests
{
    [Fact]
    public async Task ConnectStorm_10kConcurrentConnections_AllWelcomed_HealthyClientUnaffected()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("STORM_CONNECTIONS"), out var n) ? n : 10_000;
        // Default frame size: sessions rent frame buffers per frame, so 10k idle sessions hold none.
        await using var server = await ServerProcess.StartAsync("storm", new Dictionary<string, string?> { ["MarketStream:Feeds:Synthetic:Rate"] = "2000" });
        // The healthy client reads a few busy symbols (not the firehose): the test process itself is busy opening 10k sockets.
        await using var healthy = await HealthyClientMonitor.StartAsync(server.WebSocketUri, null, "AAPL", "MSFT", "EURUSD", "BTCUSD", "ETHUSD", "SPY");
        var since = HealthyClientMonitor.Now;
        var sockets = new RawWebSocket[count];
        var gate = new SemaphoreSlim(256);
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync(TestContext.Current.CancellationToken);
                try
                {
                    sockets[i] = await RawWebSocket.ConnectAsync(server.BaseAddress);
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(30));
                    var (opcode, payload) = await sockets[i].ReadFrameAsync(timeout.Token);
                    Assert.Equal(0x2, opcode);
                    var reader = new ServerFrameReader(payload);
                    Assert.Equal(ReadStatus.Message, reader.Read(out var message, out _));
                    Assert.IsType<WelcomeMessage>(message.Body);
                }
                finally
                {
                    gate.Release();
                }
            })).WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
            var opened = clock.Elapsed;

            Assert.All(sockets, s => Assert.NotNull(s));
            TestContext.Current.TestOutputHelper?.WriteLine($"{count} connections welcomed in {opened.TotalSeconds:F1} s; healthy client's longest gap {healthy.MaxGapSince(since).TotalMilliseconds:F0} ms");
            // A storm on a shared 2-core machine: a looser bound than a single bad client gets, still far below a stall.
            await healthy.AssertUnaffectedSinceAsync(since, TimeSpan.FromSeconds(1));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }

            gate.Dispose();
        }
    }
}
