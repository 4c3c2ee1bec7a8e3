using System.Diagnostics;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Load;

/// <summary>
/// Soak (docs/operations.md, "Load held"): clients streaming every symbol for <c>SOAK_SECONDS</c> (20 s in the suite), the
/// server's managed heap and the delivery latency (receive time − serverTimeNs, same clock) reported per
/// interval. The short run asserts the trend loosely — memory flat, latency not growing — so a leak or a
/// queue that never drains fails it; the long run is the documented command (docs/operations.md).
/// It reads the process's GC heap, so it runs alone (<see cref="MemoryMeasurementCollection"/>).
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SoakTests
{
    [Fact]
    public async Task Soak_StreamingClients_FlatMemory_StableLatency()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("SOAK_SECONDS"), out var s) ? s : 20;
        const int intervals = 10;
        await using var server = await GatewayServer.StartAsync();
        var clients = new List<ProtocolClient>();
        for (var i = 0; i < 20; i++)
        {
            var (client, _) = await ConnectAsync(server);
            await SubscribeAsync(client, i % 2 == 0 ? Subscribe(1, "*") : SubscribeFull(1, "*"));
            clients.Add(client);
        }

        var rows = new List<(double HeapMb, double P50Ms, double P99Ms, int Updates)>();
        var interval = TimeSpan.FromSeconds(seconds / (double)intervals);
        try
        {
            for (var k = 0; k < intervals; k++)
            {
                var latencies = new List<double>();
                var until = DateTime.UtcNow + interval;
                await Task.WhenAll(clients.Select(async c =>
                {
                    var own = new List<double>();
                    while (DateTime.UtcNow < until)
                    {
                        var m = await c.NextAsync();
                        var serverNs = m.Type == MessageType.Update ? m.Update.ServerTimeNs : m.Type == MessageType.Merged ? m.Merged.ServerTimeNs : 0;
                        if (serverNs > 0)
                        {
                            own.Add((DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10_000.0 - serverNs / 1_000_000.0);
                        }
                    }

                    lock (latencies)
                    {
                        latencies.AddRange(own);
                    }
                }));
                latencies.Sort();
                GC.Collect();
                var heap = GC.GetTotalMemory(forceFullCollection: true) / 1_048_576.0;
                rows.Add((heap, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count));
                TestContext.Current.TestOutputHelper?.WriteLine($"interval {k + 1}/{intervals}: heap {heap:F1} MB, latency p50 {rows[^1].P50Ms:F1} ms p99 {rows[^1].P99Ms:F1} ms, {latencies.Count} updates");
            }
        }
        finally
        {
            foreach (var c in clients)
            {
                await c.DisposeAsync();
            }
        }

        Assert.All(rows, r => Assert.True(r.Updates > 0, "an interval without updates"));
        // Loose trend checks (a noisy shared machine): the second half must not hold much more memory than
        // the first, nor deliver much later — a leak or an ever-growing queue fails both.
        var firstHalf = rows.Take(intervals / 2).ToList();
        var secondHalf = rows.Skip(intervals / 2).ToList();
        Assert.True(secondHalf.Max(r => r.HeapMb) < firstHalf.Max(r => r.HeapMb) * 1.5 + 32, $"heap grew: {string.Join(", ", rows.Select(r => r.HeapMb.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} MB");
        Assert.True(secondHalf.Average(r => r.P50Ms) < firstHalf.Average(r => r.P50Ms) * 3 + 200, $"latency grew: p50 {string.Join(", ", rows.Select(r => r.P50Ms.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} ms");
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
