using MarketStream.Core.Engine;
using MarketStream.Core.Market;
using MarketStream.Core.Sessions;
using MarketStream.Core.Tests.Support;

#pragma warning disable CA2012 // tests hold a pending ValueTask in a local on purpose, to check when it completes

namespace MarketStream.Core.Tests.Engine;

/// <summary>
/// Fan-out stages offers per outbox within a ring batch and applies them at its end (or when the
/// staging arrays fill). These pin down what that may and may not change.
/// </summary>
public class FanOutStageTests
{
    [Fact]
    public void OnEvent_InsideBatch_NothingVisibleOrWokenUntilEndOfBatchThenAllInOrder()
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

        Assert.False(fullWait.IsCompleted);
        Assert.False(conflatedWait.IsCompleted);
        Assert.Equal(DrainStatus.Empty, fullSink.DrainAll(full));
        Assert.DoesNotContain(fullSink.Items, i => i.IsData);

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
    public void OnEvent_BatchLongerThanTickCapacity_AppliedEveryTickCapacityTicks()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox(fullCapacity: 4 * FanOutStage.TickCapacity);
        outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);

        for (var i = 1; i <= FanOutStage.TickCapacity; i++)
        {
            h.PublishQuote(0, i);
        }

        // A busy ring hands out batches of thousands; an offer still waits one window at most.
        for (var i = 1; i <= FanOutStage.TickCapacity; i++)
        {
            h.Publish(EngineHarness.Quote(0, i, i + 1), endOfBatch: false);
        }

        sink.DrainAll(outbox);
        Assert.Equal(FanOutStage.TickCapacity, sink.Items.Count(i => i.IsData));
        h.Publish(EngineHarness.Quote(0, 0, 1), endOfBatch: false);
        sink.DrainAll(outbox);
        Assert.Equal(2 * FanOutStage.TickCapacity, sink.Items.Count(i => i.IsData));
        Assert.Equal(Enumerable.Range(1, 2 * FanOutStage.TickCapacity).Select(i => (long)i), sink.Items.Where(i => i.IsData).Select(i => i.LastSeq));
    }

    [Fact]
    public void OnEvent_MoreOffersThanStagingHolds_EverySessionGetsEveryUpdateOnceInOrder()
    {
        // A stage with tiny staging arrays, so windows end mid-tick (7 subscribers of one symbol, 5
        // offer slots) and chains span several windows; fed in random batches.
        var h = new EngineHarness(symbols: 3);
        var fanOut = new FanOutStage(h.Engine.Subscribers, h.Engine.SequencerStage, tickCapacity: 3, offerCapacity: 5);
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

        var sinks = outboxes.Select(o => { var sink = new RecordingSink(); sink.DrainAll(o); return sink; }).ToArray();
        var random = new Random(11);
        var perSymbol = new long[3];
        const int Ticks = 2_000;
        for (var i = 0; i < Ticks; i++)
        {
            var symbol = random.Next(3);
            var k = ++perSymbol[symbol];
            var tick = EngineHarness.Quote(symbol, k, k + 1);
            var endOfBatch = i == Ticks - 1 || random.Next(8) == 0;
            h.Engine.Sequencer.OnEvent(ref tick, i, endOfBatch);
            fanOut.OnEvent(ref tick, i, endOfBatch);
            if (random.Next(16) == 0)
            {
                var o = random.Next(outboxes.Length);
                sinks[o].DrainAll(outboxes[o]);
            }
        }

        Assert.Equal((perSymbol[0] * 7) + (perSymbol[1] * 4) + (perSymbol[2] * 3), fanOut.Offers);
        for (var o = 0; o < outboxes.Length; o++)
        {
            sinks[o].DrainAll(outboxes[o]);
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
    public void OnShutdown_MidBatch_AppliesWhatIsStaged()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.Publish(EngineHarness.Quote(0, 1, 2), endOfBatch: false);
        h.Publish(EngineHarness.Quote(0, 2, 3), endOfBatch: false);

        h.Engine.FanOut.OnShutdown();

        sink.DrainAll(outbox);
        Assert.Equal([1L, 2L], sink.Items.Where(i => i.IsData).Select(i => i.LastSeq));
    }

    [Fact]
    public void OnEvent_UnsubscribedWhileStaged_StagedOffersDropped()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.Publish(EngineHarness.Quote(0, 1, 2), endOfBatch: false);

        outbox.Unsubscribe(0);
        h.Publish(EngineHarness.Quote(1, 1, 2), endOfBatch: true);

        sink.DrainAll(outbox);
        Assert.DoesNotContain(sink.Items, i => i.IsData);
        Assert.Equal(0, outbox.GetFigures().QueuedUpdates);
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
