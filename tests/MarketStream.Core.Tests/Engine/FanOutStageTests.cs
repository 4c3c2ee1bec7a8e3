using MarketStream.Core.Engine;
using MarketStream.Core.Sessions;
using MarketStream.Core.Tests.Support;
using MarketStream.Model;

#pragma warning disable CA2012 // tests hold a pending ValueTask in a local on purpose, to check when it completes

namespace MarketStream.Core.Tests.Engine;

/// <summary>
/// Fan-out applies each offer at once but wakes writer loops once per ring batch (at its end, or
/// every <see cref="FanOutStage.WakeInterval"/> ticks). These pin down what that may and may not change.
/// </summary>
public class FanOutStageTests
{
    [Fact]
    public void OnEvent_InsideBatch_OffersDrainableAtOnceWriterWokenAtEndOfBatch()
    {
        var h = new EngineHarness();
        var full = h.Outbox();
        var conflated = h.Outbox();
        full.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full));
        full.Subscribe(1, new SubscriptionOptions(DeliveryMode.Full));
        conflated.Subscribe(0, new SubscriptionOptions());
        var fullSink = new RecordingSink();
        var conflatedSink = new RecordingSink();
        var fullWait = SettledWait(full, fullSink);
        var conflatedWait = SettledWait(conflated, conflatedSink);

        h.Publish(EngineHarness.Quote(0, 1, 2), endOfBatch: false);
        h.Publish(EngineHarness.Quote(1, 5, 6), endOfBatch: false);
        h.Publish(EngineHarness.Quote(0, 3, 4), endOfBatch: false);

        Assert.False(fullWait.IsCompleted, "no wake-up inside the batch");
        Assert.False(conflatedWait.IsCompleted);

        // A writer that is running anyway (woken by something else) already sees them.
        fullSink.DrainAll(full);
        Assert.Equal([(0, 1L), (1, 1L), (0, 2L)], fullSink.Items.Where(i => i.IsData).Select(i => (i.SymbolId, i.LastSeq)));

        h.Publish(EngineHarness.Quote(1, 7, 8), endOfBatch: true);

        Assert.True(fullWait.IsCompleted, "the end of the batch wakes the writer");
        Assert.True(conflatedWait.IsCompleted);
        fullSink.DrainAll(full);
        conflatedSink.DrainAll(conflated);
        Assert.Equal([(0, 1L), (1, 1L), (0, 2L), (1, 2L)], fullSink.Items.Where(i => i.IsData).Select(i => (i.SymbolId, i.LastSeq)));
        var merged = Assert.Single(conflatedSink.Items, i => i.IsData);
        Assert.Equal((1L, 2L, 2, 3L), (merged.FirstSeq, merged.LastSeq, merged.Count, merged.Merged.BidPrice));
    }

    [Fact]
    public void OnEvent_BatchLongerThanWakeInterval_WriterWokenWithinWakeIntervalTicks()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox(fullCapacity: 4 * FanOutStage.WakeInterval);
        outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full));
        var sink = new RecordingSink();
        var wait = SettledWait(outbox, sink);

        // A busy ring hands out batches of thousands; an idle writer still hears within the interval.
        for (var i = 1; i < FanOutStage.WakeInterval; i++)
        {
            h.Publish(EngineHarness.Quote(0, i, i + 1), endOfBatch: false);
        }

        Assert.False(wait.IsCompleted);
        h.Publish(EngineHarness.Quote(0, 0, 1), endOfBatch: false);
        Assert.True(wait.IsCompleted);
        sink.DrainAll(outbox);
        Assert.Equal(Enumerable.Range(1, FanOutStage.WakeInterval).Select(i => (long)i), sink.Items.Where(i => i.IsData).Select(i => i.LastSeq));
    }

    [Fact]
    public void OnEvent_MoreOutboxesToWakeThanTheListHolds_EveryWriterWokenAndGetsEveryUpdateInOrder()
    {
        // A stage whose wake list holds 2 outboxes (7 to wake per batch) and wakes every 5 ticks,
        // fed in random batches, with writers that drain only when woken.
        var h = new EngineHarness(symbols: 3);
        var fanOut = new FanOutStage(h.Engine.Subscribers, h.Engine.SequencingStage, wakeInterval: 5, wakeCapacity: 2);
        var outboxes = Enumerable.Range(0, 7).Select(_ => h.Outbox(fullCapacity: 4096)).ToArray();
        for (var o = 0; o < outboxes.Length; o++)
        {
            outboxes[o].Subscribe(0, new SubscriptionOptions(DeliveryMode.Full));
            if (o % 2 == 0)
            {
                outboxes[o].Subscribe(1, new SubscriptionOptions(DeliveryMode.Full));
            }

            if (o % 3 == 0)
            {
                outboxes[o].Subscribe(2, new SubscriptionOptions());
            }
        }

        var sinks = outboxes.Select(_ => new RecordingSink()).ToArray();
        var waits = outboxes.Select((o, i) => SettledWait(o, sinks[i])).ToArray();
        var random = new Random(11);
        var perSymbol = new long[3];
        const int Ticks = 2_000;
        for (var i = 0; i < Ticks; i++)
        {
            var symbol = random.Next(3);
            var k = ++perSymbol[symbol];
            var tick = EngineHarness.Quote(symbol, k, k + 1);
            var endOfBatch = i == Ticks - 1 || random.Next(8) == 0;
            h.Engine.Sequencing.OnEvent(ref tick, i, endOfBatch);
            fanOut.OnEvent(ref tick, i, endOfBatch);
            if (endOfBatch)
            {
                for (var o = 0; o < outboxes.Length; o++)
                {
                    if (waits[o].IsCompleted)
                    {
                        waits[o] = SettledWait(outboxes[o], sinks[o]);
                    }
                }
            }
        }

        // Nothing left unwoken: a writer that only drains when woken has it all.
        Assert.All(waits, w => Assert.False(w.IsCompleted));
        Assert.Equal((perSymbol[0] * 7) + (perSymbol[1] * 4) + (perSymbol[2] * 3), fanOut.Offers);
        for (var o = 0; o < outboxes.Length; o++)
        {
            for (var symbol = 0; symbol < 2; symbol++)
            {
                var data = sinks[o].For(symbol).Where(i => i.IsData).ToList();
                var expected = symbol == 0 || o % 2 == 0 ? perSymbol[symbol] : 0;
                Assert.Equal(Enumerable.Range(1, (int)expected).Select(k => (long)k), data.Select(d => d.LastSeq));
                Assert.All(data, d => Assert.Equal(d.LastSeq, d.Tick.BidPrice));
            }

            var conflated = sinks[o].For(2).Where(i => i.IsData).ToList();
            if (o % 3 == 0)
            {
                // Contiguous ranges whose counts add up, ending on the feed's last value.
                Assert.Equal(perSymbol[2], conflated.Sum(d => (long)d.Count));
                Assert.Equal(perSymbol[2], conflated[^1].LastSeq);
                for (var d = 1; d < conflated.Count; d++)
                {
                    Assert.Equal(conflated[d - 1].LastSeq + 1, conflated[d].FirstSeq);
                }
            }
            else
            {
                Assert.Empty(conflated);
            }
        }
    }

    [Fact]
    public void OnShutdown_MidBatch_WakesMarkedWriters()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full));
        var sink = new RecordingSink();
        var wait = SettledWait(outbox, sink);
        h.Publish(EngineHarness.Quote(0, 1, 2), endOfBatch: false);
        Assert.False(wait.IsCompleted);

        h.Engine.FanOut.OnShutdown();

        Assert.True(wait.IsCompleted);
        sink.DrainAll(outbox);
        Assert.Equal([1L], sink.Items.Where(i => i.IsData).Select(i => i.LastSeq));
    }

    /// <summary>Drains until the outbox has no signal left and returns the pending wait.</summary>
    private static ValueTask SettledWait(SessionOutbox outbox, RecordingSink sink)
    {
        var wait = outbox.WaitAsync(TestContext.Current.CancellationToken);
        while (wait.IsCompleted)
        {
            sink.DrainAll(outbox);
            wait = outbox.WaitAsync(TestContext.Current.CancellationToken);
        }

        return wait;
    }
}
