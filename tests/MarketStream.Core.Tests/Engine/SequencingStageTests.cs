using MarketStream.Core.Engine;
using MarketStream.Core.Tests.Support;
using MarketStream.Model;
using MarketStream.Testing;

namespace MarketStream.Core.Tests.Engine;

public class SequencingStageTests
{
    [Fact]
    public void OnEvent_LocalTicks_AssignsStartEpochAndSeqPlusOnePerSymbol()
    {
        var h = new EngineHarness(startEpoch: 42);
        var a1 = h.PublishQuote(0, 100);
        var b1 = h.PublishQuote(1, 200);
        var a2 = h.PublishTrade(0, 101, 5);

        Assert.Equal((42L, 1L), (a1.Epoch, a1.Seq));
        Assert.Equal((42L, 1L), (b1.Epoch, b1.Seq));
        Assert.Equal((42L, 2L), (a2.Epoch, a2.Seq));
    }

    [Fact]
    public void OnEvent_ServerTime_StampedFromInjectedClock()
    {
        var h = new EngineHarness();
        var first = h.PublishQuote(0, 100);
        h.Time.Advance(TimeSpan.FromMilliseconds(3));
        var second = h.PublishQuote(0, 100);

        Assert.NotEqual(0, first.ServerTimeNs);
        Assert.Equal(3_000_000, second.ServerTimeNs - first.ServerTimeNs);
    }

    [Fact]
    public void OnEvent_Batch_EveryTickStampedWithTheBatchStartTime()
    {
        var h = new EngineHarness();
        var sequencer = h.Engine.Sequencing;
        var a = EngineHarness.Quote(0, 1, 2);
        var b = EngineHarness.Quote(1, 1, 2);
        var c = EngineHarness.Quote(2, 1, 2);
        sequencer.OnEvent(ref a, 0, false);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        sequencer.OnEvent(ref b, 1, true);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        sequencer.OnEvent(ref c, 2, true);

        Assert.Equal(a.ServerTimeNs, b.ServerTimeNs);
        Assert.Equal(2_000_000, c.ServerTimeNs - a.ServerTimeNs);
    }

    [Fact]
    public void Constructor_NoStartEpoch_DerivesItFromTheClock()
    {
        var time = new ManualTimeProvider();
        var engine = new MarketEngine(new MarketStream.Core.Symbols.SymbolRegistry(4), new TestUpdateEncoder(), new EngineOptions(), time);
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), engine.StartEpoch);
    }

    [Fact]
    public void OnEvent_UpstreamEpochAndSeq_PassThroughUnchanged()
    {
        var h = new EngineHarness(startEpoch: 42);
        var tick = EngineHarness.Quote(0, 100, 101);
        tick.Epoch = 900;
        tick.Seq = 5000;
        var sequenced = h.Publish(tick);
        tick.Seq = 5001;
        var next = h.Publish(tick);

        Assert.Equal((900L, 5000L), (sequenced.Epoch, sequenced.Seq));
        Assert.Equal((900L, 5001L), (next.Epoch, next.Seq));
        Assert.True(h.Engine.TryGetSnapshot(0, out var lvc));
        Assert.Equal((900L, 5001L), (lvc.Epoch, lvc.Seq));
    }

    [Fact]
    public void OnEvent_UpstreamRedelivery_IsMarkedNoneAndCounted()
    {
        var h = new EngineHarness();
        var tick = EngineHarness.Quote(0, 100, 101);
        tick.Epoch = 900;
        tick.Seq = 10;
        h.Publish(tick);
        tick.BidPrice = 1;
        var again = h.Publish(tick);

        Assert.Equal(TickKind.None, again.Kind);
        Assert.Equal(1, h.Engine.TicksDropped);
        h.Engine.TryGetSnapshot(0, out var lvc);
        Assert.Equal(100, lvc.BidPrice);
    }

    [Fact]
    public void OnEvent_UpstreamEpochChange_RestartsLastValueCache()
    {
        var h = new EngineHarness();
        var trade = EngineHarness.Trade(0, 100, 7);
        trade.Epoch = 900;
        trade.Seq = 10;
        h.Publish(trade);
        var quote = EngineHarness.Quote(0, 50, 51);
        quote.Epoch = 901;
        quote.Seq = 1;
        h.Publish(quote);

        h.Engine.TryGetSnapshot(0, out var lvc);
        Assert.Equal((901L, 1L), (lvc.Epoch, lvc.Seq));
        Assert.False(lvc.HasTrade);
        Assert.Equal(0, lvc.Volume);
        Assert.Equal(50, lvc.BidPrice);
    }

    [Theory]
    [InlineData(-1, TickKind.Quote)]
    [InlineData(99, TickKind.Quote)]
    [InlineData(0, TickKind.None)]
    public void OnEvent_UndeliverableTick_IsDropped(int symbolId, TickKind kind)
    {
        var h = new EngineHarness();
        var tick = h.Publish(new Tick { SymbolId = symbolId, Kind = kind, BidPrice = 1 });
        Assert.Equal(TickKind.None, tick.Kind);
        Assert.Equal(1, h.Engine.TicksDropped);
        Assert.Equal(0, h.Engine.TicksSequenced);
    }

    [Fact]
    public void OnEvent_QuotesAndTrades_MaintainLastValueCache()
    {
        var h = new EngineHarness();
        h.Publish(EngineHarness.Quote(0, 99, 101, 5, 6));
        h.PublishTrade(0, 100, 3);
        h.PublishTrade(0, 104, 2);
        h.PublishTrade(0, 97, 10);
        h.Publish(EngineHarness.Quote(0, 96, 98, 7, 8));

        h.Engine.TryGetSnapshot(0, out var lvc);
        Assert.Equal(5, lvc.Seq);
        Assert.Equal((96L, 7L, 98L, 8L), (lvc.BidPrice, lvc.BidSize, lvc.AskPrice, lvc.AskSize));
        Assert.Equal((100L, 104L, 97L), (lvc.Open, lvc.High, lvc.Low));
        Assert.Equal((97L, 10L), (lvc.LastPrice, lvc.LastSize));
        Assert.Equal(15, lvc.Volume);
        Assert.Equal(3, lvc.TradeCount);
    }

    [Fact]
    public void OnEvent_EachUpdate_EncodedOnceIntoSharedHistory()
    {
        var h = new EngineHarness();
        var sequenced = h.PublishTrade(2, 123, 4);
        var stream = h.Engine.Streams.Get(2)!;
        var buffer = new byte[h.Encoder.MaxUpdateLength];
        var expected = new byte[h.Encoder.MaxUpdateLength];
        var expectedLength = new TestUpdateEncoder().EncodeUpdate(sequenced, expected);

        Assert.True(stream.TryCopyEncoded(sequenced.Epoch, sequenced.Seq, buffer, out var length));
        Assert.Equal(expected.AsSpan(0, expectedLength).ToArray(), buffer.AsSpan(0, length).ToArray());
        Assert.Equal(1, h.Encoder.UpdatesEncoded);
        Assert.False(stream.TryCopyEncoded(sequenced.Epoch + 1, sequenced.Seq, buffer, out _));
    }

    [Fact]
    public void TryCopyEncoded_OlderThanHistoryDepth_ReportsGone()
    {
        var h = new EngineHarness(historyDepth: 16);
        for (var i = 0; i < 40; i++)
        {
            h.PublishQuote(0, i);
        }

        var stream = h.Engine.Streams.Get(0)!;
        var buffer = new byte[h.Encoder.MaxUpdateLength];
        Assert.False(stream.TryCopyEncoded(7, 24, buffer, out _));
        Assert.True(stream.TryCopyEncoded(7, 25, buffer, out _));
        Assert.True(stream.TryCopyEncoded(7, 40, buffer, out _));
        Assert.False(stream.TryCopyEncoded(7, 41, buffer, out _));
    }

    [Fact]
    public void OnEvent_SteadyState_AllocatesNothing()
    {
        var h = new EngineHarness(symbols: 8);
        var sequencer = h.Engine.Sequencing;
        var tick = default(Tick);

        // Warm up past tiered compilation (call counting and tier-up run in the first ~100 ms), whose bookkeeping is not ours.
        var warmUntil = Environment.TickCount64 + 300;
        for (var i = 0; Environment.TickCount64 < warmUntil; i++)
        {
            tick = EngineHarness.Quote(i % 8, i, i + 1);
            sequencer.OnEvent(ref tick, i, true);
        }

        var allocated = Allocations.BestOf(3, () =>
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                tick = EngineHarness.Trade(i % 8, i, 1);
                sequencer.OnEvent(ref tick, i, true);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ReadSnapshot_WhileSequencerWrites_NeverTorn()
    {
        // Every tick writes bid = ask - 1 = seq; a torn read would break that identity.
        var h = new EngineHarness(symbols: 1);
        var stream = h.Engine.Streams.GetOrCreate(0)!;
        var stop = false;
        var writer = new Thread(() =>
        {
            var tick = default(Tick);
            for (long i = 1; !Volatile.Read(ref stop); i++)
            {
                tick = EngineHarness.Quote(0, i, i + 1, i, i);
                h.Engine.Sequencing.OnEvent(ref tick, i, true);
            }
        });
        writer.Start();
        var reads = 0;
        var deadline = Environment.TickCount64 + 500;
        while (Environment.TickCount64 < deadline)
        {
            stream.ReadSnapshot(out var s);
            Assert.True(s.Seq == 0 || (s.BidPrice == s.Seq && s.AskPrice == s.Seq + 1 && s.BidSize == s.Seq), $"torn snapshot at {s.Seq}");
            reads++;
        }

        Volatile.Write(ref stop, true);
        writer.Join();
        Assert.True(reads > 100);
    }
}
