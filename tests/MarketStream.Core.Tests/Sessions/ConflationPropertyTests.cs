using CsCheck;
using MarketStream.Core.Sessions;
using MarketStream.Core.Tests.Support;
using MarketStream.Model;

namespace MarketStream.Core.Tests.Sessions;

public class ConflationPropertyTests
{
    private const int Symbols = 3;

    // EndsBatch: whether the ring hands this tick to fan-out as the last of a batch; fan-out stages
    // the offers of a batch and applies them at its end, so drains also run while offers are staged.
    private static readonly Gen<(int Symbol, bool Trade, int Price, int Size, int AdvanceMs, bool EndsBatch)> TickGen =
        Gen.Select(Gen.Int[0, Symbols - 1], Gen.Bool, Gen.Int[1, 1000], Gen.Int[1, 100], Gen.Int[0, 3], Gen.Bool);

    private static readonly Gen<(int After, int Budget)> DrainGen = Gen.Select(Gen.Int[0, 400], Gen.Int[1, 3000]);

    // Per symbol: 0 = conflated, 1 = conflated with a 5 ms max rate, 2 = full (degrades on overflow).
    private static readonly Gen<int[]> ModesGen = Gen.Int[0, 2].Array[Symbols];

    [Fact]
    public void Drain_AnyTicksAnySchedule_LastDeliveredStateEqualsFeedAndCountsAddUp()
    {
        Gen.Select(TickGen.Array[0, 400], DrainGen.Array[0, 40], ModesGen, Gen.Int[1, 64], Gen.Bool)
            .Sample(
                (ticks, drains, modes, fullCapacity, snapshotFirst) => CheckInvariant(ticks, drains, modes, fullCapacity, snapshotFirst),
                iter: 300);
    }

    private static void CheckInvariant(
        (int Symbol, bool Trade, int Price, int Size, int AdvanceMs, bool EndsBatch)[] ticks,
        (int After, int Budget)[] drains,
        int[] modes,
        int fullCapacity,
        bool snapshotFirst)
    {
        var h = new EngineHarness(symbols: Symbols);
        var outbox = h.Outbox(fullCapacity);
        for (var s = 0; s < Symbols; s++)
        {
            var options = modes[s] switch
            {
                1 => new SubscriptionOptions(MaxRateMs: 5),
                2 => new SubscriptionOptions(DeliveryMode.Full),
                _ => new SubscriptionOptions(),
            };
            outbox.Subscribe(s, options);
        }

        var sink = new RecordingSink();
        if (snapshotFirst)
        {
            // Snapshots at seq 0 go out before the feed starts; otherwise they are taken at the first drain.
            sink.DrainAll(outbox);
        }

        var sequenced = new List<Tick>();
        var schedule = drains.ToLookup(d => d.After, d => d.Budget);
        for (var i = 0; i < ticks.Length; i++)
        {
            foreach (var budget in schedule[i])
            {
                // One frame of a random size: whatever fits now, the rest stays queued.
                sink.FrameBudget = budget;
                outbox.Drain(sink);
                sink.NewFrame();
            }

            var (symbol, trade, price, size, advance, endsBatch) = ticks[i];
            h.Time.Advance(TimeSpan.FromMilliseconds(advance));
            var tick = trade ? EngineHarness.Trade(symbol, price, size) : EngineHarness.Quote(symbol, price, price + 1, size, size);
            sequenced.Add(h.Publish(tick, endOfBatch: endsBatch || i == ticks.Length - 1));
        }

        // The feed goes quiet: let every rate limit expire and drain to the end.
        h.Time.Advance(TimeSpan.FromSeconds(1));
        sink.FrameBudget = 1000;
        Assert.Equal(DrainStatus.Empty, sink.DrainAll(outbox));

        for (var s = 0; s < Symbols; s++)
        {
            var feed = sequenced.Where(t => t.SymbolId == s).ToList();
            var delivered = sink.For(s).Where(i => i.Kind != DeliveredKind.Notice).ToList();
            Assert.Equal(DeliveredKind.Snapshot, delivered[0].Kind);
            var snapshotSeq = delivered[0].LastSeq;
            if (snapshotFirst)
            {
                Assert.Equal(0, snapshotSeq);
            }

            var client = new ClientState();
            var lastSeq = -1L;
            var counted = 0;
            foreach (var item in delivered)
            {
                Assert.True(item.FirstSeq > lastSeq, $"symbol {s}: seq went from {lastSeq} to {item.FirstSeq}");
                if (item.IsData)
                {
                    Assert.Equal(lastSeq + 1, item.FirstSeq);
                    Assert.Equal(item.LastSeq - item.FirstSeq + 1, item.Count);
                    counted += item.Count;
                }

                lastSeq = item.LastSeq;
                client.Apply(item);
            }

            // Every tick is either in the first snapshot or counted exactly once by an update / merged update.
            Assert.Equal(feed.Count, snapshotSeq + counted);
            if (feed.Count > 0)
            {
                Assert.Equal(ClientState.FromFeed(feed), client);
            }
        }

        Assert.Equal(0, outbox.GetFigures().QueuedUpdates);
    }
}
