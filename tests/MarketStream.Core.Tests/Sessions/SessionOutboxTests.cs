using MarketStream.Core.Sessions;
using MarketStream.Core.Tests.Support;
using MarketStream.Model;
using MarketStream.Testing;

#pragma warning disable CA2012 // tests hold a pending ValueTask in a local on purpose, to check when it completes

namespace MarketStream.Core.Tests.Sessions;

public class SessionOutboxTests
{
    private static readonly SubscriptionOptions Conflated = new();
    private static readonly SubscriptionOptions Full = new(DeliveryMode.Full);

    [Fact]
    public void Subscribe_BeforeAnyTick_SnapshotAtSeqZeroThenEveryUpdate()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        Assert.Equal(SubscribeStatus.Subscribed, outbox.Subscribe(0, Full));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishQuote(0, 10);
        h.PublishQuote(0, 11);
        sink.DrainAll(outbox);

        Assert.Equal([DeliveredKind.Snapshot, DeliveredKind.Update, DeliveredKind.Update], sink.Items.Select(i => i.Kind));
        Assert.Equal([0L, 1L, 2L], sink.Items.Select(i => i.LastSeq));
        Assert.Equal(11, sink.Items[^1].Tick.BidPrice);
    }

    [Fact]
    public void Subscribe_ConflatedOnly_ReservesPerSubscriptionNotTheFullModeBound_FullModeReservesIt()
    {
        // A stalled conflated client must cost O(subscriptions), not the full-mode queue bound.
        var h = new EngineHarness();
        var outbox = h.Outbox(fullCapacity: 4096);
        for (var symbol = 0; symbol < 4; symbol++)
        {
            Assert.Equal(SubscribeStatus.Subscribed, outbox.Subscribe(symbol, Conflated));
        }

        Assert.InRange(outbox.QueueCapacity, 5, 64);

        // Switching one symbol to full mode reserves the bound up front, so offers never grow the queue.
        Assert.Equal(SubscribeStatus.Updated, outbox.Subscribe(1, Full));
        Assert.True(outbox.QueueCapacity >= 4096 + 4 + 1, $"capacity {outbox.QueueCapacity}");

        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        for (var i = 0; i < 1000; i++) // within the harness's 1,024-deep history: full mode delivers each
        {
            h.PublishQuote(1, 10 + i);
            h.PublishQuote(0, 10 + i);
        }

        sink.DrainAll(outbox);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), sink.For(1).Where(d => d.Kind == DeliveredKind.Update).Select(d => d.LastSeq));
        Assert.Equal(1000, sink.For(0).Last().LastSeq);
    }

    [Fact]
    public void Subscribe_AfterTicks_SnapshotCarriesLvcAndOlderUpdatesNeverFollow()
    {
        var h = new EngineHarness();
        h.PublishTrade(1, 100, 2);
        h.PublishTrade(1, 105, 3);
        var outbox = h.Outbox();
        outbox.Subscribe(1, Conflated);
        h.PublishTrade(1, 90, 1);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishTrade(1, 95, 1);
        sink.DrainAll(outbox);

        // The snapshot is taken at drain time, so it already includes seq 3; seq 4 follows.
        Assert.Equal([DeliveredKind.Snapshot, DeliveredKind.Update], sink.Items.Select(i => i.Kind));
        var snapshot = sink.Items[0].Snapshot;
        Assert.Equal(3, snapshot.Seq);
        Assert.Equal((100L, 105L, 90L, 6L), (snapshot.Open, snapshot.High, snapshot.Low, snapshot.Volume));
        Assert.Equal(4, sink.Items[1].FirstSeq);
    }

    [Fact]
    public void Drain_ConflatedBurst_OneMergedUpdateWithRangeCountAndAggregates()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishTrade(0, 100, 2);
        h.Publish(EngineHarness.Quote(0, 98, 99));
        h.PublishTrade(0, 103, 5);
        h.PublishTrade(0, 97, 1);
        h.Publish(EngineHarness.Quote(0, 96, 97));
        sink.DrainAll(outbox);

        var merged = Assert.Single(sink.Items, i => i.IsData).Merged;
        Assert.Equal((1L, 5L, 5), (merged.FirstSeq, merged.LastSeq, merged.Count));
        Assert.Equal((96L, 97L), (merged.BidPrice, merged.AskPrice));
        Assert.Equal((3, 8L, 103L, 97L, 97L), (merged.TradeCount, merged.Volume, merged.High, merged.Low, merged.LastPrice));
        var figures = outbox.GetFigures();
        Assert.Equal((1L, 4L), (figures.MergedSent, figures.UpdatesConflated));
    }

    [Fact]
    public void Drain_SinglePendingUpdate_SendsTheSharedPreEncodedBytes()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        var tick = h.PublishTrade(0, 100, 2);
        var encodedBefore = h.Encoder.UpdatesEncoded;
        sink.DrainAll(outbox);

        var item = Assert.Single(sink.Items, i => i.IsData);
        Assert.Equal(DeliveredKind.Update, item.Kind);
        var expected = new byte[h.Encoder.MaxUpdateLength];
        var length = new TestUpdateEncoder().EncodeUpdate(tick, expected);
        Assert.Equal(expected.AsSpan(0, length).ToArray(), item.Bytes);
        Assert.Equal(encodedBefore, h.Encoder.UpdatesEncoded);
        Assert.Equal(0, h.Encoder.MergedEncoded);
    }

    [Fact]
    public void Drain_ManySessions_EncodeEachUpdateOnlyOnce()
    {
        var h = new EngineHarness();
        var outboxes = Enumerable.Range(0, 20).Select(_ => h.Outbox()).ToList();
        foreach (var o in outboxes)
        {
            o.Subscribe(0, Full);
            new RecordingSink().DrainAll(o);
        }

        for (var i = 0; i < 10; i++)
        {
            h.PublishQuote(0, i);
        }

        var sinks = outboxes.Select(o =>
        {
            var s = new RecordingSink();
            s.DrainAll(o);
            return s;
        }).ToList();

        Assert.Equal(10, h.Encoder.UpdatesEncoded);
        Assert.All(sinks, s => Assert.Equal(10, s.Items.Count(i => i.Kind == DeliveredKind.Update)));
    }

    [Fact]
    public void Drain_HotAndColdSymbol_ColdUpdateArrivesWithinTwoFrames()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated);
        outbox.Subscribe(1, Conflated);
        var sink = new RecordingSink(frameBudget: 1);
        sink.DrainAll(outbox);
        sink.Items.Clear();

        // A frame holds one update; the hot symbol ticks before every frame, the cold one once.
        h.PublishQuote(0, 1);
        h.PublishQuote(1, 500);
        var coldFrame = -1;
        for (var frame = 0; frame < 50; frame++)
        {
            h.PublishQuote(0, frame + 2);
            h.PublishQuote(0, frame + 3);
            outbox.Drain(sink);
            sink.NewFrame();
            if (coldFrame < 0 && sink.Items.Any(i => i.SymbolId == 1))
            {
                coldFrame = frame;
            }
        }

        Assert.InRange(coldFrame, 0, 1);
        Assert.True(sink.For(0).Count() > 40, "the hot symbol keeps flowing too");
    }

    [Fact]
    public void Unsubscribe_WithPendingUpdates_NothingMoreOfThatSymbolAndSlotFreed()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox(fullCapacity: 64);
        outbox.Subscribe(0, Full);
        outbox.Subscribe(1, Conflated);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishQuote(0, 1);
        h.PublishQuote(1, 1);

        Assert.True(outbox.Unsubscribe(0));
        Assert.True(outbox.Unsubscribe(1));
        Assert.False(outbox.Unsubscribe(1));
        h.PublishQuote(0, 2);
        sink.DrainAll(outbox);

        Assert.DoesNotContain(sink.Items, i => i.IsData);
        Assert.Equal(0, outbox.GetFigures().Subscriptions);
        Assert.Equal(0, h.Engine.Subscribers.CountFor(0));
        Assert.Equal(0, h.Engine.Subscribers.CountFor(1));
        Assert.False(outbox.IsSubscribed(0));
    }

    [Fact]
    public void Subscribe_ResubscribeAfterUnsubscribe_FreshSnapshotThenLiveAgain()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated);
        h.PublishQuote(0, 1);
        outbox.Unsubscribe(0);
        outbox.Subscribe(0, Conflated);
        h.PublishQuote(0, 2);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishQuote(0, 3);
        sink.DrainAll(outbox);

        Assert.Equal([DeliveredKind.Snapshot, DeliveredKind.Update], sink.Items.Select(i => i.Kind));
        Assert.Equal([2L, 3L], sink.Items.Select(i => i.LastSeq));
        Assert.Equal(1, h.Engine.Subscribers.CountFor(0));
    }

    [Fact]
    public void Subscribe_Twice_UpdatesOptionsWithoutNewSnapshot()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated);
        Assert.Equal(SubscribeStatus.Updated, outbox.Subscribe(0, Full));
        Assert.Equal(DeliveryMode.Full, outbox.GetMode(0));
        Assert.Equal(SubscribeStatus.UnknownSymbol, outbox.Subscribe(99, Full));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        Assert.Single(sink.Items);
    }

    [Fact]
    public void Subscribe_OverLimit_ReturnsLimitReached()
    {
        var h = new EngineHarness();
        var outbox = h.Engine.CreateOutbox(new OutboxOptions { MaxSubscriptions = 2 });
        outbox.Subscribe(0, Conflated);
        outbox.Subscribe(1, Conflated);
        Assert.Equal(SubscribeStatus.LimitReached, outbox.Subscribe(2, Conflated));
        outbox.Unsubscribe(1);
        Assert.Equal(SubscribeStatus.Subscribed, outbox.Subscribe(2, Conflated));
    }

    [Theory]
    [InlineData(DeliveryMode.Full)]
    [InlineData(DeliveryMode.Conflated)]
    public void Subscribe_ResumeWithinHistory_ReplaysExactlyTheGap(DeliveryMode mode)
    {
        var h = new EngineHarness();
        for (var i = 1; i <= 30; i++)
        {
            h.PublishTrade(0, 100 + i, i);
        }

        var outbox = h.Outbox();
        outbox.Subscribe(0, new SubscriptionOptions(mode), new StreamPosition(7, 20));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishTrade(0, 999, 1);
        sink.DrainAll(outbox);

        Assert.DoesNotContain(sink.Items, i => i.IsSnapshot);
        var data = sink.Items.Where(i => i.IsData).ToList();
        Assert.Equal(21, data[0].FirstSeq);
        Assert.Equal(31, data[^1].LastSeq);
        Assert.Equal(11, data.Sum(d => d.Count));
        for (var i = 1; i < data.Count; i++)
        {
            Assert.Equal(data[i - 1].LastSeq + 1, data[i].FirstSeq);
        }

        Assert.Equal(mode == DeliveryMode.Full ? 11 : 2, data.Count);
    }

    [Fact]
    public void Subscribe_ResumeBeyondHistory_SendsResetWithFreshSnapshot()
    {
        var h = new EngineHarness(historyDepth: 16);
        for (var i = 1; i <= 100; i++)
        {
            h.PublishQuote(0, i);
        }

        var outbox = h.Outbox();
        outbox.Subscribe(0, Full, new StreamPosition(7, 50));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishQuote(0, 101);
        sink.DrainAll(outbox);

        Assert.Equal([DeliveredKind.Reset, DeliveredKind.Update], sink.Items.Select(i => i.Kind));
        Assert.Equal(100, sink.Items[0].Snapshot.Seq);
        Assert.Equal((ResetCause.HistoryUnavailable, false), (sink.Items[0].ResetCause, sink.Items[0].Unsolicited));
        Assert.Equal(101, sink.Items[1].FirstSeq);
    }

    [Theory]
    [InlineData(6, 10, ResetCause.EpochChanged)]
    [InlineData(8, 10, ResetCause.EpochChanged)]
    [InlineData(7, 500, ResetCause.UnknownPosition)]
    [InlineData(7, 21, ResetCause.UnknownPosition)]
    public void Subscribe_ResumeFromOtherEpochOrFuture_SendsResetWithDocumentedReason(long epoch, long seq, ResetCause expected)
    {
        var h = new EngineHarness();
        for (var i = 1; i <= 20; i++)
        {
            h.PublishQuote(0, i);
        }

        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated, new StreamPosition(epoch, seq));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);

        var reset = Assert.Single(sink.Items);
        Assert.Equal(DeliveredKind.Reset, reset.Kind);
        Assert.Equal((7L, 20L), (reset.Epoch, reset.LastSeq));
        Assert.Equal((expected, false), (reset.ResetCause, reset.Unsolicited));
    }

    [Fact]
    public void Subscribe_ResumeAtCurrentPosition_NothingReplayedThenLive()
    {
        var h = new EngineHarness();
        for (var i = 1; i <= 5; i++)
        {
            h.PublishQuote(0, i);
        }

        var outbox = h.Outbox();
        outbox.Subscribe(0, Full, new StreamPosition(7, 5));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishQuote(0, 6);
        sink.DrainAll(outbox);

        var only = Assert.Single(sink.Items);
        Assert.Equal((DeliveredKind.Update, 6L), (only.Kind, only.FirstSeq));
    }

    [Fact]
    public void Offer_UpstreamEpochChange_LiveSubscriberGetsResetInNewEpoch()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Full);
        var sink = new RecordingSink();
        var tick = EngineHarness.Quote(0, 10, 11);
        tick.Epoch = 500;
        tick.Seq = 1;
        h.Publish(tick);
        sink.DrainAll(outbox);
        tick.Seq = 2;
        h.Publish(tick);
        tick.Epoch = 501;
        tick.Seq = 1;
        tick.BidPrice = 77;
        h.Publish(tick);
        tick.Seq = 2;
        tick.BidPrice = 78;
        h.Publish(tick);
        sink.DrainAll(outbox);
        tick.Seq = 3;
        h.Publish(tick);
        sink.DrainAll(outbox);

        // Seq 500/2 was still queued when the epoch changed: the reset supersedes it.
        Assert.Equal(
            [(DeliveredKind.Snapshot, 500L, 1L), (DeliveredKind.Reset, 501L, 2L), (DeliveredKind.Update, 501L, 3L)],
            sink.Items.Select(i => (i.Kind, i.Epoch, i.LastSeq)));
        Assert.Equal(78, sink.Items[1].Snapshot.BidPrice);
        Assert.Equal((ResetCause.EpochChanged, true), (sink.Items[1].ResetCause, sink.Items[1].Unsolicited));
        Assert.Equal((ResetCause.None, false), (sink.Items[0].ResetCause, sink.Items[0].Unsolicited));
    }

    [Fact]
    public void Drain_MaxRate_TrailingEdgeDeliversLatestWhenIntervalEnds()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, new SubscriptionOptions(MaxRateMs: 100));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);

        h.PublishQuote(0, 1);
        sink.DrainAll(outbox);
        h.Time.Advance(TimeSpan.FromMilliseconds(10));
        h.PublishQuote(0, 2);
        h.PublishQuote(0, 3);
        sink.DrainAll(outbox);
        Assert.Equal([1L], sink.Items.Where(i => i.IsData).Select(i => i.LastSeq));

        h.Time.Advance(TimeSpan.FromMilliseconds(50));
        h.PublishQuote(0, 4);
        var wait = outbox.WaitAsync(TestContext.Current.CancellationToken);
        while (wait.IsCompleted)
        {
            // Consume signals left by the offers; the next one must come from the timer.
            sink.DrainAll(outbox);
            wait = outbox.WaitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Single(sink.Items, i => i.IsData);
        h.Time.Advance(TimeSpan.FromMilliseconds(40));
        Assert.True(wait.IsCompleted, "the timer wakes the writer when the interval ends");
        sink.DrainAll(outbox);

        var data = sink.Items.Where(i => i.IsData).ToList();
        Assert.Equal(2, data.Count);
        Assert.Equal((2L, 4L, 3), (data[1].FirstSeq, data[1].LastSeq, data[1].Count));
        Assert.Equal(4, data[1].Merged.BidPrice);
    }

    [Fact]
    public void Subscribe_FullModeWithMaxRate_DeliveredConflated()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full, MaxRateMs: 10));
        Assert.Equal(DeliveryMode.Conflated, outbox.GetMode(0));
    }

    [Fact]
    public void Offer_FullQueueOverflowWithDegrade_NoticeThenConflatedWithRisingSeq()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox(fullCapacity: 8);
        outbox.Subscribe(0, Full);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        for (var i = 1; i <= 20; i++)
        {
            h.PublishQuote(0, i);
        }

        sink.DrainAll(outbox);

        Assert.Equal(DeliveredKind.Notice, sink.Items[1].Kind);
        Assert.Equal((OutboxNoticeKind.DegradedToConflated, 0, 9L), (sink.Items[1].Notice.Kind, sink.Items[1].Notice.SymbolId, sink.Items[1].Notice.FirstSeq));
        var data = sink.Items.Where(i => i.IsData).ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), data.Take(8).Select(d => d.LastSeq));
        Assert.Equal((9L, 20L, 12), (data[8].FirstSeq, data[8].LastSeq, data[8].Count));
        Assert.Equal(DeliveryMode.Conflated, outbox.GetMode(0));
        Assert.DoesNotContain(sink.Items, i => i.Notice.Kind == OutboxNoticeKind.SlowConsumerWarning);
    }

    [Fact]
    public void Offer_FullQueueOverflowWithClose_WarningFirstThenSlowConsumer()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox(fullCapacity: 8);
        outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full, Overflow: OverflowPolicy.Close));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        for (var i = 1; i <= 6; i++)
        {
            h.PublishQuote(0, i);
        }

        Assert.False(outbox.IsSlowConsumer);
        for (var i = 7; i <= 9; i++)
        {
            h.PublishQuote(0, i);
        }

        Assert.True(outbox.IsSlowConsumer);
        var status = sink.DrainAll(outbox);

        Assert.Equal(DrainStatus.SlowConsumer, status);
        var notice = Assert.Single(sink.Items, i => i.Kind == DeliveredKind.Notice);
        Assert.Equal(OutboxNoticeKind.SlowConsumerWarning, notice.Notice.Kind);
        Assert.Equal(SubscribeStatus.Closed, outbox.Subscribe(1, Conflated));
    }

    [Fact]
    public void Drain_FullModeOlderThanMaxLag_MergesQueuedRangeAndNotifies()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full, MaxLagMs: 50));
        outbox.Subscribe(1, Full);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        sink.Items.Clear();
        for (var i = 1; i <= 10; i++)
        {
            h.PublishTrade(0, 100 + i, 1);
            h.PublishTrade(1, 100 + i, 1);
        }

        h.Time.Advance(TimeSpan.FromMilliseconds(60));
        h.PublishTrade(0, 50, 1);
        sink.DrainAll(outbox);

        var symbol0 = sink.For(0).ToList();
        Assert.Equal(DeliveredKind.Merged, symbol0[0].Kind);
        Assert.Equal((1L, 11L, 11, 11L), (symbol0[0].FirstSeq, symbol0[0].LastSeq, symbol0[0].Count, symbol0[0].Merged.Volume));
        Assert.Equal(OutboxNoticeKind.LagCatchUp, symbol0[1].Notice.Kind);
        Assert.Equal((1L, 11L), (symbol0[1].Notice.FirstSeq, symbol0[1].Notice.LastSeq));
        Assert.Equal(2, symbol0.Count);
        Assert.Equal(10, sink.For(1).Count(i => i.Kind == DeliveredKind.Update));
    }

    [Fact]
    public void RequestSnapshot_FullModeBacklog_SnapshotOrderedAgainstStream()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Full);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        for (var i = 1; i <= 5; i++)
        {
            h.PublishQuote(0, i);
        }

        Assert.True(outbox.RequestSnapshot(0));
        for (var i = 6; i <= 8; i++)
        {
            h.PublishQuote(0, i);
        }

        sink.DrainAll(outbox);
        h.PublishQuote(0, 9);
        sink.DrainAll(outbox);

        var items = sink.Items.Skip(1).ToList();
        var snapshotIndex = items.FindIndex(i => i.Kind == DeliveredKind.Snapshot);
        Assert.True(snapshotIndex >= 0);
        var snapshotSeq = items[snapshotIndex].LastSeq;
        Assert.All(items.Take(snapshotIndex), i => Assert.True(i.LastSeq <= snapshotSeq));
        Assert.Equal(Enumerable.Range((int)snapshotSeq + 1, 9 - (int)snapshotSeq).Select(i => (long)i), items.Skip(snapshotIndex + 1).Select(i => i.LastSeq));
        Assert.False(outbox.RequestSnapshot(3));
    }

    [Fact]
    public void RequestSnapshot_ConflatedPending_SnapshotReplacesPendingThenStreamContinues()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishQuote(0, 1);
        h.PublishQuote(0, 2);
        outbox.RequestSnapshot(0);
        sink.DrainAll(outbox);
        h.PublishQuote(0, 3);
        sink.DrainAll(outbox);

        Assert.Equal([(DeliveredKind.Snapshot, 0L), (DeliveredKind.Snapshot, 2L), (DeliveredKind.Update, 3L)], sink.Items.Select(i => (i.Kind, i.LastSeq)));
    }

    [Fact]
    public void Drain_SmallFrames_SplitsWithoutLossOrReorder()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox(fullCapacity: 512);
        outbox.Subscribe(0, Full);
        var sink = new RecordingSink(frameBudget: 400);
        sink.DrainAll(outbox);
        for (var i = 1; i <= 100; i++)
        {
            h.PublishQuote(0, i);
        }

        sink.DrainAll(outbox);

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), sink.Items.Where(i => i.IsData).Select(i => i.LastSeq));
        Assert.True(sink.Frame > 20);
        Assert.True(sink.Items.GroupBy(i => i.Frame).All(g => g.Count() <= 400 / 100));
    }

    [Fact]
    public void GetFigures_StalledSession_ReportsQueueBytesAndLag()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Full);
        outbox.Subscribe(1, Conflated);
        new RecordingSink().DrainAll(outbox);
        h.PublishQuote(0, 1);
        h.PublishQuote(0, 2);
        h.PublishQuote(1, 1);
        h.PublishQuote(1, 2);
        h.Time.Advance(TimeSpan.FromMilliseconds(250));

        var figures = outbox.GetFigures();
        Assert.Equal(2, figures.Subscriptions);
        Assert.Equal(3, figures.QueuedUpdates);
        Assert.Equal(3L * (1 + System.Runtime.InteropServices.Marshal.SizeOf<Tick>()), figures.QueuedBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), figures.Lag);

        new RecordingSink().DrainAll(outbox);
        figures = outbox.GetFigures();
        Assert.Equal((0, 0L, TimeSpan.Zero), (figures.QueuedUpdates, figures.QueuedBytes, figures.Lag));
        Assert.Equal(3, figures.UpdatesSent);
    }

    [Fact]
    public async Task WaitAsync_OfferAfterWait_CompletesAndDrainSeesUpdate()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated);
        var wait = SettledWait(outbox);
        Assert.False(wait.IsCompleted);
        h.PublishQuote(0, 1);
        await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        Assert.Single(sink.Items);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        using var cts = new CancellationTokenSource();
        var wait = outbox.WaitAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
    }

    [Fact]
    public async Task Dispose_WakesWriterAndUnregisters()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated);
        var wait = SettledWait(outbox);
        outbox.Dispose();
        await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(DrainStatus.Closed, outbox.Drain(new RecordingSink()));
        Assert.Equal(0, h.Engine.Subscribers.CountFor(0));
    }

    [Fact]
    public async Task Dispose_NeverSubscribed_WakesWriterDrainClosedFiguresEmpty()
    {
        // An idle session's outbox has made none of its tables, queues or locks (docs/operations.md, memory
        // per connection): every path a session without subscriptions takes must work without them.
        var h = new EngineHarness();
        var outbox = h.Outbox();
        Assert.Equal(DrainStatus.Empty, outbox.Drain(new RecordingSink()));
        Assert.Equal(default, outbox.GetFigures());
        Assert.False(outbox.IsSubscribed(0));
        Assert.False(outbox.Unsubscribe(0));
        var wait = SettledWait(outbox);

        outbox.Dispose();

        await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(DrainStatus.Closed, outbox.Drain(new RecordingSink()));
        Assert.Equal(SubscribeStatus.Closed, outbox.Subscribe(0, Conflated));
    }

    [Fact]
    public void CreateOutbox_NeverSubscribed_AllocatesNoTablesQueuesOrLocks()
    {
        var h = new EngineHarness();
        h.Outbox().Dispose(); // one-off costs (statics, JIT) out of the way

        var allocated = Allocations.BestOf(3, () => h.Outbox());

        // The outbox (200 B), its empty item ring (32 B) and wake signal (88 B). The
        // subscription table, delayed heap, notice queue, control lock and DeferredWake (~260 B) come with the
        // first Subscribe; made eagerly again, this fails.
        Assert.InRange(allocated, 1, 400);
    }

    [Fact]
    public async Task Wake_WhileWriterWaits_CompletesTheWaitWithNothingToDrain()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, Conflated);
        var wait = SettledWait(outbox);
        Assert.False(wait.IsCompleted);

        outbox.Wake();

        await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        var sink = new RecordingSink();
        Assert.Equal(DrainStatus.Empty, outbox.Drain(sink));
        Assert.Empty(sink.Items);
    }

    [Fact]
    public void Wake_BeforeWait_NextWaitCompletesAtOnceAndTwoWakesFoldIntoOne()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();

        outbox.Wake();
        outbox.Wake();

        Assert.True(outbox.WaitAsync(TestContext.Current.CancellationToken).IsCompleted);
        var second = outbox.WaitAsync(TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);
        outbox.Wake();
        Assert.True(second.IsCompleted);
    }

    [Theory]
    [InlineData(SubscriptionLimits.MaxIntervalMs, 0)]
    [InlineData(0, SubscriptionLimits.MaxIntervalMs)]
    public void Subscribe_IntervalAtProtocolMaximum_Accepted(int maxRateMs, int maxLagMs)
    {
        // docs/protocol.md §4: maxRateMs and maxLagMs are 0–86400000 (24 h); Core takes the whole range.
        Assert.Equal(86_400_000, SubscriptionLimits.MaxIntervalMs);
        var h = new EngineHarness();
        var outbox = h.Outbox();
        Assert.Equal(SubscribeStatus.Subscribed, outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full, maxRateMs, maxLagMs)));
        Assert.Equal(maxRateMs > 0 ? DeliveryMode.Conflated : DeliveryMode.Full, outbox.GetMode(0));
    }

    [Theory]
    [InlineData(SubscriptionLimits.MaxIntervalMs + 1, 0, "MaxRateMs")]
    [InlineData(0, SubscriptionLimits.MaxIntervalMs + 1, "MaxLagMs")]
    [InlineData(-1, 0, "MaxRateMs")]
    [InlineData(0, -1, "MaxLagMs")]
    public void Subscribe_IntervalOutsideProtocolRange_ThrowsNamingTheField(int maxRateMs, int maxLagMs, string field)
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        var error = Assert.Throws<ArgumentException>(() => outbox.Subscribe(0, new SubscriptionOptions(DeliveryMode.Full, maxRateMs, maxLagMs)));
        Assert.StartsWith(field, error.Message, StringComparison.Ordinal);
        Assert.False(outbox.IsSubscribed(0));
    }

    [Fact]
    public void Drain_MaxRateOfADay_SecondUpdateWaitsTheWholeDayThenArrivesMerged()
    {
        var h = new EngineHarness();
        var outbox = h.Outbox();
        outbox.Subscribe(0, new SubscriptionOptions(MaxRateMs: SubscriptionLimits.MaxIntervalMs));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        h.PublishQuote(0, 1);
        sink.DrainAll(outbox);
        h.PublishQuote(0, 2);
        h.PublishQuote(0, 3);

        h.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMilliseconds(1));
        sink.DrainAll(outbox);
        Assert.Equal([1L], sink.Items.Where(i => i.IsData).Select(i => i.LastSeq));

        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        sink.DrainAll(outbox);
        var data = sink.Items.Where(i => i.IsData).ToList();
        Assert.Equal((2L, 3L, 2), (data[^1].FirstSeq, data[^1].LastSeq, data[^1].Count));
    }

    /// <summary>Drains until the outbox has no signal left and returns the pending wait.</summary>
    private static ValueTask SettledWait(SessionOutbox outbox)
    {
        var wait = outbox.WaitAsync(TestContext.Current.CancellationToken);
        while (wait.IsCompleted)
        {
            new RecordingSink().DrainAll(outbox);
            wait = outbox.WaitAsync(TestContext.Current.CancellationToken);
        }

        return wait;
    }
}
