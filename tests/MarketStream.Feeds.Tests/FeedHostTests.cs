using MarketStream.Model;
using System.Diagnostics;
using MarketStream.Core.Ring;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Replay;
using MarketStream.Feeds.Symbols;
using MarketStream.Feeds.Synthetic;

namespace MarketStream.Feeds.Tests;

public sealed class FeedHostTests
{
    private static readonly FeedSupervisorOptions FastSupervision = new()
    {
        RestartDelay = TimeSpan.FromMilliseconds(10),
        MaxRestartDelay = TimeSpan.FromMilliseconds(100),
        StallTimeout = TimeSpan.FromMilliseconds(300),
        MonitorInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    [Trait("Category", "Slow")]
    public void SeveralFeeds_MultiProducerRing_NoLossNoDuplicatePerFeedOrder()
    {
        // Three feeds on disjoint symbol sets race into a small ring (it wraps ~150 times). Each
        // feed's share of the ring, in ring order, must equal what that feed generates alone.
        string[][] sets = [["AAPL", "MSFT", "NVDA"], ["EURUSD", "EURGBP", "EURJPY"], ["BTCUSD", "ETHUSD"]];
        const int perFeed = 200_000;
        var feeds = new List<FeedHandler>();
        var expected = new List<Tick>[sets.Length];
        var owner = new int[TestData.Universe.Count];
        for (var f = 0; f < sets.Length; f++)
        {
            feeds.Add(new SyntheticFeed("feed" + f, TestData.Universe, TestData.Synthetic(100 + f, perFeed, 0, sets[f])));
            var model = new SyntheticModel(TestData.Universe, TestData.Synthetic(100 + f, perFeed, 0, sets[f]), (ulong)(100 + f));
            model.TimeNs = UnixNanos.From(TestData.Start);
            expected[f] = new List<Tick>(perFeed);
            for (var i = 0; i < perFeed; i++)
            {
                var t = default(Tick);
                model.Next(ref t, 0);
                expected[f].Add(t);
            }

            foreach (var name in sets[f])
            {
                owner[TestData.Universe.IdOf(name)] = f;
            }
        }

        var all = TestData.RunToCompletion(feeds, ringSize: 4096);

        Assert.Equal(perFeed * sets.Length, all.Count);
        var actual = new List<Tick>[sets.Length];
        for (var f = 0; f < sets.Length; f++)
        {
            actual[f] = new List<Tick>(perFeed);
        }

        foreach (var t in all)
        {
            actual[owner[t.SymbolId]].Add(t);
        }

        for (var f = 0; f < sets.Length; f++)
        {
            TestData.AssertSameTicks(expected[f], actual[f]);
        }
    }

    [Fact]
    public void ThrowingHandler_IsRestartedWithBackOffAndCounted()
    {
        var handler = new FlakyFeed(failures: 3, ticksPerRun: 10);
        using var pipeline = new RingPipeline<Tick>(1024, ProducerType.Multi);
        var collector = new TickCollector();
        pipeline.HandleWith(collector);
        using var host = new FeedHost(pipeline.RingBuffer, FastSupervision);
        host.Add(handler);
        pipeline.Start();
        host.Start();

        Assert.True(host.WaitForCompletion(TimeSpan.FromSeconds(10)));
        host.Stop(TimeSpan.FromSeconds(5));
        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(5)));

        var status = Assert.Single(host.GetStatus());
        Assert.Equal(FeedState.Completed, status.State);
        Assert.Equal(3, status.Restarts);
        Assert.Equal(3, status.Errors);
        Assert.Equal("boom 3", status.LastError);
        Assert.Equal(40, status.TicksPublished);
        Assert.Equal(40, collector.Ticks.Count);
        Assert.Equal([0, 1, 2, 3], handler.RestartArguments);
    }

    [Fact]
    public void AlwaysThrowingHandler_FaultsAfterMaxConsecutiveRestarts()
    {
        var handler = new FlakyFeed(failures: int.MaxValue, ticksPerRun: 1);
        using var pipeline = new RingPipeline<Tick>(1024, ProducerType.Multi);
        pipeline.HandleWith(new TickCollector());
        // A run that lasts longer than MaxRestartDelay counts as healthy and resets the consecutive count,
        // so the cap is kept well above what a descheduled run can take on a busy machine.
        var options = new FeedSupervisorOptions { RestartDelay = TimeSpan.FromMilliseconds(1), MaxRestartDelay = TimeSpan.FromSeconds(2), MaxConsecutiveRestarts = 4 };
        using var host = new FeedHost(pipeline.RingBuffer, options);
        host.Add(handler);
        pipeline.Start();
        host.Start();

        Assert.True(host.WaitForCompletion(TimeSpan.FromSeconds(10)));
        var status = Assert.Single(host.GetStatus());
        Assert.Equal(FeedState.Faulted, status.State);
        Assert.Equal(4, status.Restarts);
        Assert.Equal(5, status.Errors);
    }

    [Fact]
    public void MalformedReplayFile_FaultsWithoutRestart()
    {
        var path = Path.Combine(Path.GetTempPath(), $"msfeeds-{Guid.NewGuid():N}.mstk");
        File.WriteAllBytes(path, "NOTACAPTURE"u8.ToArray());
        try
        {
            using var pipeline = new RingPipeline<Tick>(1024, ProducerType.Multi);
            pipeline.HandleWith(new TickCollector());
            using var host = new FeedHost(pipeline.RingBuffer, FastSupervision);
            host.Add(new ReplayFeed("replay", TestData.Universe, new ReplayFeedOptions { Path = path, Speed = 0 }));
            pipeline.Start();
            host.Start();

            Assert.True(host.WaitForCompletion(TimeSpan.FromSeconds(5)));
            var status = Assert.Single(host.GetStatus());
            Assert.Equal(FeedState.Faulted, status.State);
            Assert.Equal(0, status.Restarts);
            Assert.Contains("too short for a header", status.LastError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SilentHandler_IsReportedStalledThenRecovers()
    {
        var handler = new SilentFeed();
        using var pipeline = new RingPipeline<Tick>(1024, ProducerType.Multi);
        pipeline.HandleWith(new TickCollector());
        using var host = new FeedHost(pipeline.RingBuffer, FastSupervision);
        host.Add(handler);
        pipeline.Start();
        host.Start();

        Assert.True(SpinWait.SpinUntil(() => host.GetStatus()[0].IsStalled, TimeSpan.FromSeconds(5)), "stall not reported");
        var stalled = host.GetStatus()[0];
        Assert.Equal(1, stalled.Stalls);
        Assert.False(stalled.IsWaitingForRoom);

        handler.Resume.Set();
        Assert.True(SpinWait.SpinUntil(() => !host.GetStatus()[0].IsStalled, TimeSpan.FromSeconds(5)), "recovery not reported");
        Assert.True(SpinWait.SpinUntil(() => host.GetStatus()[0].TicksPerSecond > 0, TimeSpan.FromSeconds(5)), "no rate reported");
        Assert.True(host.Stop(TimeSpan.FromSeconds(5)));
        Assert.Equal(FeedState.Stopped, host.GetStatus()[0].State);
    }

    [Fact]
    public void SyntheticFeed_WithStartDelay_PublishesNothingUntilTheDelayEnds_AndIsNotStalledMeanwhile()
    {
        // The delay (1.5 s) is five stall timeouts long: the supervisor must see a feed that is
        // scheduled, not stalled, and the first tick must not be stamped before the delay ended.
        var options = TestData.Synthetic(5, 2_000);
        options.StartDelay = TimeSpan.FromMilliseconds(1_500);
        var feed = new SyntheticFeed("delayed", TestData.Universe, options);
        var collector = new TickCollector();
        using var pipeline = new RingPipeline<Tick>(4096, ProducerType.Multi);
        pipeline.HandleWith(collector);
        using var host = new FeedHost(pipeline.RingBuffer, FastSupervision);
        host.Add(feed);
        pipeline.Start();
        var started = TickPublisher.NowNs();
        host.Start();

        while (feed.Generated == 0 && TickPublisher.NowNs() - started < 10_000_000_000L)
        {
            Assert.False(host.GetStatus()[0].IsStalled, "a feed waiting out its start delay was reported stalled");
            Thread.Sleep(20);
        }

        Assert.True(SpinWait.SpinUntil(() => host.GetStatus()[0].State == FeedState.Completed, TimeSpan.FromSeconds(10)), "the delayed feed did not complete");
        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(5)));
        Assert.Equal(2_000, collector.Ticks.Count);
        Assert.True(collector.Ticks[0].ReceiveTimeNs - started >= 1_500_000_000L, $"first tick {(collector.Ticks[0].ReceiveTimeNs - started) / 1e6:0} ms after start, before the 1,500 ms delay");
        Assert.Equal(0, host.GetStatus()[0].Stalls);
    }

    [Fact]
    public void SyntheticFeed_WhoseFirstClaimBlocksAfterItsStartDelay_IsReportedStalled()
    {
        // Another feed fills the ring before the delayed one starts: once its delay is over, the delayed
        // feed waits for room with nothing published, and that is a stall, not a schedule.
        using var pipeline = new RingPipeline<Tick>(64, ProducerType.Multi);
        var gate = new GateStage();
        pipeline.HandleWith(gate);
        using var host = new FeedHost(pipeline.RingBuffer, FastSupervision);
        host.Add(new SyntheticFeed("filler", TestData.Universe, TestData.Synthetic(1, 0)));
        var options = TestData.Synthetic(2, 0);
        options.StartDelay = TimeSpan.FromMilliseconds(200);
        var delayed = new SyntheticFeed("delayed", TestData.Universe, options);
        host.Add(delayed);
        pipeline.Start();
        host.Start();

        Assert.True(SpinWait.SpinUntil(() => host.GetStatus()[1].IsStalled, TimeSpan.FromSeconds(5)), "a delayed feed blocked on its first claim was not reported stalled");
        Assert.Equal(0, delayed.Generated);
        Assert.True(host.Stop(TimeSpan.FromSeconds(5)));
        gate.Open.Set();
        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(5)), "every claimed slot was published");
    }

    [Fact]
    public void Stop_DuringStartDelay_ReturnsPromptlyWithNothingPublished()
    {
        var options = TestData.Synthetic(5, 0);
        options.StartDelay = TimeSpan.FromHours(1);
        var feed = new SyntheticFeed("later", TestData.Universe, options);
        using var pipeline = new RingPipeline<Tick>(1024, ProducerType.Multi);
        pipeline.HandleWith(new TickCollector());
        using var host = new FeedHost(pipeline.RingBuffer, FastSupervision);
        host.Add(feed);
        pipeline.Start();
        host.Start();
        Thread.Sleep(100);

        var watch = Stopwatch.StartNew();
        Assert.True(host.Stop(TimeSpan.FromSeconds(5)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"stop took {watch.Elapsed}");
        Assert.Equal(0, feed.Generated);
        Assert.Equal(FeedState.Stopped, host.GetStatus()[0].State);
    }

    [Fact]
    public void Stop_WhileRingIsFull_ReturnsPromptly()
    {
        using var pipeline = new RingPipeline<Tick>(64, ProducerType.Multi);
        var gate = new GateStage();
        pipeline.HandleWith(gate);
        using var host = new FeedHost(pipeline.RingBuffer, FastSupervision);
        host.Add(new SyntheticFeed("s", TestData.Universe, TestData.Synthetic(1, 0)));
        pipeline.Start();
        host.Start();

        Assert.True(SpinWait.SpinUntil(() => host.GetStatus()[0].IsWaitingForRoom, TimeSpan.FromSeconds(5)));
        Assert.True(SpinWait.SpinUntil(() => host.GetStatus()[0].IsStalled, TimeSpan.FromSeconds(5)), "a feed blocked on a full ring is reported");
        var watch = Stopwatch.StartNew();
        Assert.True(host.Stop(TimeSpan.FromSeconds(5)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
        gate.Open.Set();
        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(5)), "every claimed slot was published");
    }

    [Fact]
    public void Start_TwoFeedsOnSingleProducerRing_Throws()
    {
        var ring = new RingBuffer<Tick>(ProducerType.Single, 64);
        using var host = new FeedHost(ring);
        host.Add(new SyntheticFeed("a", TestData.Universe, TestData.Synthetic(1, 1)));
        host.Add(new SyntheticFeed("b", TestData.Universe, TestData.Synthetic(2, 1)));
        var ex = Assert.Throws<InvalidOperationException>(host.Start);
        Assert.Contains("ProducerType.Multi", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FromOptions_BuildsEnabledFeedsAndIngestPublisher()
    {
        using var pipeline = new RingPipeline<Tick>(1024, ProducerType.Multi);
        var collector = new TickCollector();
        pipeline.HandleWith(collector);
        var options = new FeedsOptions
        {
            Synthetic = { Seed = 1, Rate = 0, MaxTicks = 500 },
            Ingest = { Enabled = true },
        };
        using var host = FeedHost.Create(pipeline.RingBuffer, options, TestData.Universe);
        Assert.NotNull(host.IngestPublisher);
        pipeline.Start();
        host.Start();

        // The ingest path: validate a decoded tick, then publish it.
        var validator = host.CreateIngestValidator();
        Assert.Equal(IngestRejectCode.None, validator.ResolveSymbol("EURUSD", out var id));
        var tick = new Tick { SymbolId = id, Kind = TickKind.Quote, BidPrice = 109_410, AskPrice = 109_411, BidSize = 1, AskSize = 1, ExchangeTimeNs = 1 };
        Assert.Equal(IngestRejectCode.None, validator.Validate(in tick));
        Assert.True(host.IngestPublisher!.Publish(in tick, CancellationToken.None));
        Assert.Equal(IngestRejectCode.UnknownSymbol, validator.ResolveSymbol("NOPE", out _));
        Assert.Equal(1, host.IngestRejects.Total);

        Assert.True(host.WaitForCompletion(TimeSpan.FromSeconds(10)));
        host.Stop(TimeSpan.FromSeconds(5));
        Assert.True(pipeline.Drain(TimeSpan.FromSeconds(5)));
        Assert.Equal(501, collector.Ticks.Count);
        var status = host.GetStatus();
        Assert.Equal(["synthetic", "ingest"], [status[0].Name, status[1].Name]);
        Assert.Equal(1, status[1].TicksPublished);

        // The ingest endpoint's refusals show in the ingest feed's status, by reason.
        Assert.Equal((0L, 0), (status[0].Rejected, status[0].RejectedByReason.Count));
        Assert.Equal(1, status[1].Rejected);
        Assert.Equal(new Dictionary<string, long> { ["unknown_symbol"] = 1 }, status[1].RejectedByReason);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsWithEveryProblem()
    {
        var ring = new RingBuffer<Tick>(ProducerType.Multi, 64);
        var options = new FeedsOptions { Synthetic = { Rate = -1, TradeRatio = 2 } };
        var ex = Assert.Throws<ArgumentException>(() => FeedHost.Create(ring, options, TestData.Universe));
        Assert.Contains("Synthetic:Rate", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Synthetic:TradeRatio", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Publishes some ticks, then throws on its first runs.</summary>
    private sealed class FlakyFeed(int failures, int ticksPerRun) : FeedHandler("flaky")
    {
        public List<int> RestartArguments { get; } = [];

        protected internal override void Run(TickPublisher publisher, int restart, CancellationToken stop)
        {
            RestartArguments.Add(restart);
            var n = publisher.Claim(ticksPerRun, stop, out var low);
            for (var i = 0; i < n; i++)
            {
                ref var t = ref publisher[low + i];
                t = new Tick { SymbolId = 0, Kind = TickKind.Quote, BidPrice = 1, AskPrice = 2, BidSize = 1, AskSize = 1 };
            }

            publisher.Publish(low, n);
            if (restart < failures)
            {
                throw new InvalidOperationException("boom " + (restart + 1));
            }
        }
    }

    /// <summary>Publishes one tick, goes silent until resumed, then ticks every millisecond until stopped.</summary>
    private sealed class SilentFeed() : FeedHandler("silent")
    {
        public ManualResetEventSlim Resume { get; } = new();

        protected internal override void Run(TickPublisher publisher, int restart, CancellationToken stop)
        {
            PublishOne(publisher, stop);
            Resume.Wait(stop);
            while (!stop.IsCancellationRequested)
            {
                PublishOne(publisher, stop);
                stop.WaitHandle.WaitOne(1);
            }
        }

        private static void PublishOne(TickPublisher publisher, CancellationToken stop)
        {
            if (publisher.Claim(1, stop, out var seq) == 1)
            {
                publisher[seq] = new Tick { SymbolId = 0, Kind = TickKind.Trade, Price = 1, Size = 1 };
                publisher.Publish(seq, 1);
            }
        }
    }

    /// <summary>A stage that holds the first slot until opened, so the ring fills.</summary>
    private sealed class GateStage : IEventHandler<Tick>
    {
        public ManualResetEventSlim Open { get; } = new();

        public void OnEvent(ref Tick data, long sequence, bool endOfBatch) => Open.Wait();
    }
}
