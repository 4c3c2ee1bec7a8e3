using System.Runtime.InteropServices;
using MarketStream.Core.Sessions;
using MarketStream.Core.Tests.Support;
using MarketStream.Model;
using MarketStream.Testing;

namespace MarketStream.Core.Tests.Sessions;

[Collection(StressCollection.Name)]
public class OutboxMemoryTests
{
    [Fact]
    public void Offer_MillionTicksToStalledSessions_NoAllocationAndQueueBoundedBySubscriptions()
    {
        const int symbols = 100;
        var h = new EngineHarness(symbols: symbols);
        var conflated = h.Outbox();
        var full = h.Outbox(fullCapacity: 256);
        for (var s = 0; s < symbols; s++)
        {
            conflated.Subscribe(s, new SubscriptionOptions());
            full.Subscribe(s, new SubscriptionOptions(DeliveryMode.Full));
        }

        // Snapshots out, then neither session ever drains again.
        new RecordingSink().DrainAll(conflated);
        new RecordingSink().DrainAll(full);
        var tick = default(Tick);
        // Warm up past tiered compilation (its bookkeeping is not ours) and fill every slot once.
        var warmUntil = Environment.TickCount64 + 300;
        for (var i = 0; i < 2 * symbols || Environment.TickCount64 < warmUntil; i++)
        {
            tick = EngineHarness.Quote(i % symbols, i, i + 1);
            h.Publish(tick);
        }

        var random = new Random(5);
        var allocated = Allocations.BestOf(3, () =>
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                tick = random.Next(2) == 0 ? EngineHarness.Quote(random.Next(symbols), i, i + 1) : EngineHarness.Trade(random.Next(symbols), i, 1);
                h.Engine.Sequencing.OnEvent(ref tick, i, true);
                h.Engine.FanOut.OnEvent(ref tick, i, true);
            }
        });
        var maxUpdate = 1 + Marshal.SizeOf<MergedUpdate>();

        Assert.Equal(0, allocated);
        var c = conflated.GetFigures();
        Assert.Equal(symbols, c.QueuedUpdates);
        Assert.InRange(c.QueuedBytes, 1, symbols * maxUpdate);
        var f = full.GetFigures();
        Assert.InRange(f.QueuedUpdates, 1, 256 + symbols);
        Assert.InRange(f.QueuedBytes, 1, (256 + symbols) * maxUpdate);

        // And what they hold is the latest state: one drain delivers each symbol's final seq.
        var sink = new RecordingSink();
        sink.DrainAll(conflated);
        for (var s = 0; s < symbols; s++)
        {
            h.Engine.TryGetSnapshot(s, out var lvc);
            Assert.Equal(lvc.Seq, sink.For(s).Last().LastSeq);
        }
    }
}
