using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Server.Gateway;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.IntegrationTests.Load;

/// <summary>
/// Server memory per idle connection (upgraded, Welcome sent, heartbeats, no subscription).
/// The managed heap's growth per connection is bounded, so a per-session buffer, table or task that
/// creeps back in fails here. The clients are bare sockets (<see cref="RawWebSocket"/>, a few hundred
/// bytes each and counted in) so the figure is the server's. The full breakdown by type is
/// perf/MarketStream.GatewayMemory <c>--by-type</c> (docs/operations.md, memory per connection).
/// </summary>
[Trait("Category", "Slow")]
[Collection(MemoryMeasurementCollection.Name)]
public sealed class IdleConnectionMemoryTests
{
    private const int Warmup = 200;
    private const int Connections = 4000;

    /// <summary>
    /// About 9 KB per connection when this test runs alone (server ≈ 6.9 KB plus ≈ 2 KB of bare client socket), up to
    /// ~11 KB in a process where other test classes have just run: that in-process noise grows as the step shrinks,
    /// hence 4,000 connections. The headroom is for that noise and allocator variation (pooled arrays cached per
    /// thread are counted too); the HTTP request objects (~6 KB) coming back, or the idle session growing by a
    /// buffer or table, fail it (docs/operations.md; perf/README.md, "C: idle connection memory").
    /// </summary>
    private const int MaxBytesPerConnection = 12_000;

    [Fact]
    public async Task IdleConnections_HoldBoundedGcHeapEach()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:HeartbeatInterval"] = "00:00:01",
            // Ingest only, nothing published: idle sessions need no ticks, and symbol histories filling up would be counted too.
            ["MarketStream:Feeds:Synthetic:Enabled"] = "false",
            ["MarketStream:Feeds:Ingest:Enabled"] = "true",
        });
        var registry = server.Services.GetRequiredService<SessionRegistry>();
        var clients = new List<RawWebSocket>();
        try
        {
            // The first sessions pay one-off costs (JIT, pools, tables sized up): not counted.
            await ConnectAsync(server, clients, registry, Warmup);
            // ... including a heartbeat pass each, so the pooled frame buffers cached per thread are in "before" too.
            await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
            var before = SettledHeap();

            await ConnectAsync(server, clients, registry, Connections);
            // Long enough for every session to pass a heartbeat (its timer, writer pass, pooled frame).
            await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
            var after = SettledHeap();
            var perConnection = (after - before) / Connections;

            TestContext.Current.TestOutputHelper?.WriteLine($"GC heap {before / 1048576.0:F1} → {after / 1048576.0:F1} MiB over {Connections} idle connections: {perConnection:N0} B each (bound {MaxBytesPerConnection:N0} B)");

            Assert.Equal(Warmup + Connections, registry.Count);
            Assert.InRange(perConnection, 1_000, MaxBytesPerConnection);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task ConnectAsync(RunningServer server, List<RawWebSocket> clients, SessionRegistry registry, int count)
    {
        for (var i = 0; i < count; i++)
        {
            clients.Add(await RawWebSocket.ConnectAsync(server.BaseAddress));
        }

        // A session registers once its Welcome is queued; wait until all have.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (registry.Count < clients.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// The GC heap after full compacting collections, read again until two readings agree within 256 KiB:
    /// servers and clients of the tests that ran before this one (in this process) are still being torn down
    /// for a while, and their memory going away mid-measurement once made the figure negative.
    /// </summary>
    private static long SettledHeap()
    {
        var previous = CollectedHeap();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            Thread.Sleep(100);
            var current = CollectedHeap();
            if (Math.Abs(current - previous) < 256 * 1024)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    private static long CollectedHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
