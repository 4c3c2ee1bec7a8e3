using MarketStream.Core.Ring;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Symbols;
using MarketStream.Testing;
using MarketStream.Model;

namespace MarketStream.Feeds.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset Start = new(2024, 1, 2, 14, 30, 0, TimeSpan.Zero);

    private static readonly Lazy<SymbolUniverse> LazyUniverse = new(UniverseLoader.LoadEmbedded);

    public static SymbolUniverse Universe => LazyUniverse.Value;

    public static string DataDir => RepositoryRoot.Combine("feeds", "data");

    public static SyntheticFeedOptions Synthetic(int seed, long maxTicks, double rate = 0, params string[] symbols) => new()
    {
        Seed = seed,
        MaxTicks = maxTicks,
        Rate = rate,
        StartTime = Start,
        Symbols = [.. symbols],
    };

    /// <summary>Runs handlers through a real multi-producer ring until they complete; returns the ring's ticks in order.</summary>
    public static List<Tick> RunToCompletion(IEnumerable<FeedHandler> handlers, int ringSize = 4096, TimeSpan? timeout = null, params IEventHandler<Tick>[] extraStages)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        using var pipeline = new RingPipeline<Tick>(ringSize, ProducerType.Multi);
        var collector = new TickCollector();
        pipeline.HandleWith(collector);
        foreach (var stage in extraStages)
        {
            pipeline.HandleWith(stage);
        }

        using var host = new FeedHost(pipeline.RingBuffer);
        foreach (var handler in handlers)
        {
            host.Add(handler);
        }

        pipeline.Start();
        host.Start();
        Assert.True(host.WaitForCompletion(limit), "feeds did not complete in time");
        Assert.True(host.Stop(TimeSpan.FromSeconds(5)));
        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(10)), "pipeline did not drain");
        foreach (var status in host.GetStatus())
        {
            Assert.Equal(FeedState.Completed, status.State);
        }

        return collector.Ticks;
    }

    /// <summary>Field-by-field equality except the receive time (which the feed stamps with the wall clock).</summary>
    public static void AssertSameTicks(IReadOnlyList<Tick> expected, IReadOnlyList<Tick> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            e.ReceiveTimeNs = 0;
            a.ReceiveTimeNs = 0;
            if (!e.Equals(a))
            {
                Assert.Fail($"tick {i} differs: expected {Describe(e)}, got {Describe(a)}");
            }
        }
    }

    public static string Describe(in Tick t) =>
        $"[{t.SymbolId} {t.Kind} t={t.ExchangeTimeNs} bid={t.BidPrice}x{t.BidSize} ask={t.AskPrice}x{t.AskSize} px={t.Price}x{t.Size} {t.Side} c={t.Conditions} e={t.Epoch} s={t.Seq}]";
}
