using System.Diagnostics;
using MarketStream.Feeds.Synthetic;
using MarketStream.Model;

namespace MarketStream.Feeds.Tests;

public sealed class SyntheticFeedTests
{
    [Fact]
    public void Run_SameSeed_PublishesSameTicks()
    {
        var first = TestData.RunToCompletion([new SyntheticFeed("a", TestData.Universe, TestData.Synthetic(7, 20_000))]);
        var second = TestData.RunToCompletion([new SyntheticFeed("a", TestData.Universe, TestData.Synthetic(7, 20_000))]);

        Assert.Equal(20_000, first.Count);
        TestData.AssertSameTicks(first, second);
    }

    [Fact]
    public void Run_DifferentSeed_PublishesDifferentTicks()
    {
        var first = TestData.RunToCompletion([new SyntheticFeed("a", TestData.Universe, TestData.Synthetic(7, 1_000))]);
        var second = TestData.RunToCompletion([new SyntheticFeed("a", TestData.Universe, TestData.Synthetic(8, 1_000))]);

        var same = 0;
        for (var i = 0; i < first.Count; i++)
        {
            var a = first[i];
            var b = second[i];
            a.ReceiveTimeNs = b.ReceiveTimeNs = 0;
            same += a.Equals(b) ? 1 : 0;
        }

        Assert.True(same < 10, $"{same} of 1000 ticks equal across seeds");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Run_ManyTicks_StatisticsAreSane()
    {
        var feed = new SyntheticFeed("stats", TestData.Universe, TestData.Synthetic(11, 200_000));
        var ticks = TestData.RunToCompletion([feed], ringSize: 8192);
        var universe = TestData.Universe;

        var perSymbol = new int[universe.Count];
        long trades = 0;
        var lastTime = long.MinValue;
        var spreadTicksSum = 0.0;
        long quotes = 0;
        foreach (var t in ticks)
        {
            perSymbol[t.SymbolId]++;
            Assert.True(t.ExchangeTimeNs >= lastTime, "exchange time must not go backwards");
            lastTime = t.ExchangeTimeNs;
            Assert.Equal(0, t.Epoch);
            Assert.Equal(0, t.Seq);
            Assert.True(t.ReceiveTimeNs > 0);
            if (t.Kind == TickKind.Quote)
            {
                quotes++;
                Assert.True(t.BidPrice > 0, $"bid {t.BidPrice}");
                Assert.True(t.AskPrice - t.BidPrice >= 1, "spread must be at least one tick");
                Assert.True(t.BidSize > 0 && t.AskSize > 0);
                Assert.Equal(0, t.BidSize % universe.Entries[t.SymbolId].LotSize);

                // Spread relative to price under 10 bp, as for liquid instruments, or a few ticks for cheap ones.
                var relative = (double)(t.AskPrice - t.BidPrice) / t.BidPrice;
                Assert.True(t.AskPrice - t.BidPrice <= 3 || relative < 0.001, $"spread {relative:P4} too wide for {universe.Symbols[t.SymbolId].Name}");
                spreadTicksSum += t.AskPrice - t.BidPrice;
            }
            else
            {
                Assert.Equal(TickKind.Trade, t.Kind);
                trades++;
                Assert.True(t.Price > 0);
                Assert.True(t.Size > 0);
                Assert.True(t.Side is TradeSide.Buy or TradeSide.Sell);
            }
        }

        var tradeShare = (double)trades / ticks.Count;
        Assert.InRange(tradeShare, 0.15, 0.25);
        Assert.True(spreadTicksSum / quotes >= 1);

        // Quiet symbols trade far less than the others (about 50× by weight).
        var model = feed.Model;
        double quietSum = 0, activeSum = 0;
        int quietCount = 0, activeCount = 0;
        for (var i = 0; i < model.SymbolCount; i++)
        {
            var n = perSymbol[model.SymbolIdAt(i)];
            if (model.IsQuiet(i))
            {
                quietSum += n;
                quietCount++;
            }
            else
            {
                activeSum += n;
                activeCount++;
            }
        }

        Assert.True(quietCount > 0 && activeCount > 0);
        Assert.True(quietSum / quietCount * 10 < activeSum / activeCount, $"quiet avg {quietSum / quietCount}, active avg {activeSum / activeCount}");
        foreach (var entry in universe.Entries)
        {
            Assert.True(perSymbol[entry.Symbol.Id] > 0, $"{entry.Symbol.Name} never ticked");
        }
    }

    [Fact]
    public void Run_Paced_HonoursRate()
    {
        var feed = new SyntheticFeed("paced", TestData.Universe, TestData.Synthetic(3, 1_000, rate: 2_000));
        var watch = Stopwatch.StartNew();
        var ticks = TestData.RunToCompletion([feed]);
        watch.Stop();

        Assert.Equal(1_000, ticks.Count);

        // 1,000 ticks at 2,000/s take half a second; generous bounds for a shared machine.
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.4, 1.5);

        // The simulated exchange clock follows the rate too (mean gap 0.5 ms).
        var span = (ticks[^1].ExchangeTimeNs - ticks[0].ExchangeTimeNs) / 1e9;
        Assert.InRange(span, 0.4, 0.6);
    }

    [Fact]
    public void Run_Default_OpensWithOneQuotePerSymbolInUniverseOrder()
    {
        var universe = TestData.Universe;
        var ticks = TestData.RunToCompletion([new SyntheticFeed("open", universe, TestData.Synthetic(5, universe.Count + 50))]);

        for (var i = 0; i < universe.Count; i++)
        {
            var t = ticks[i];
            Assert.Equal(universe.Entries[i].Symbol.Id, t.SymbolId);
            Assert.Equal(TickKind.Quote, t.Kind);
            Assert.True(t.BidPrice > 0 && t.BidPrice < t.AskPrice, TestData.Describe(t));
            Assert.True(t.BidSize > 0 && t.AskSize > 0, TestData.Describe(t));
            Assert.Equal(ticks[0].ExchangeTimeNs, t.ExchangeTimeNs);
        }

        // The walk follows, its clock moving on from the opening time.
        Assert.True(ticks[^1].ExchangeTimeNs > ticks[0].ExchangeTimeNs);
    }

    [Fact]
    public void Run_OpeningQuotesOff_StartsWithTheWalk()
    {
        var universe = TestData.Universe;
        var options = TestData.Synthetic(5, universe.Count);
        options.OpeningQuotes = false;
        var ticks = TestData.RunToCompletion([new SyntheticFeed("walk", universe, options)]);

        // Weighted picks repeat symbols long before all of them have ticked.
        var distinct = ticks.Select(t => t.SymbolId).Distinct().Count();
        Assert.True(distinct < universe.Count * 0.9, $"{distinct} distinct symbols in the first {universe.Count} ticks");
        Assert.True(ticks[1].ExchangeTimeNs > ticks[0].ExchangeTimeNs);
    }

    [Fact]
    public void Run_PacedAtLowRate_PublishesTheOpeningQuotesAtOnce()
    {
        // At 5 ticks/s, pacing the opening quotes would take over 20 s; unpaced, the whole run is
        // the opening plus two walk ticks 0.2 s apart.
        var universe = TestData.Universe;
        var feed = new SyntheticFeed("slow", universe, TestData.Synthetic(9, universe.Count + 2, rate: 5));
        var watch = Stopwatch.StartNew();
        var ticks = TestData.RunToCompletion([feed], timeout: TimeSpan.FromSeconds(30));
        watch.Stop();

        Assert.Equal(universe.Count + 2, ticks.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Constructor_UnknownSymbolFilter_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SyntheticFeed("x", TestData.Universe, TestData.Synthetic(1, 1, 0, "NOPE")));
        Assert.Contains("NOPE", ex.Message, StringComparison.Ordinal);
    }
}
