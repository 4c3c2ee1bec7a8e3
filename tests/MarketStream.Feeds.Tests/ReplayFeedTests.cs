using MarketStream.Model;
using System.Diagnostics;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Replay;
using MarketStream.Feeds.Synthetic;
using MarketStream.Feeds.Validation;

namespace MarketStream.Feeds.Tests;

public sealed class ReplayFeedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("msfeeds").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(TickFileFormat.Binary)]
    [InlineData(TickFileFormat.Csv)]
    public void RecordThenReplay_ReproducesTicksInOrder(TickFileFormat format)
    {
        var path = Path.Combine(_dir, format == TickFileFormat.Csv ? "rec.csv" : "rec.mstk");
        var writer = TickFiles.CreateWriter(path, format, TestData.Universe);
        var recorder = new TickRecorder(writer);
        var live = TestData.RunToCompletion([new SyntheticFeed("live", TestData.Universe, TestData.Synthetic(5, 30_000))], extraStages: recorder);
        writer.Dispose();
        Assert.Equal(30_000, recorder.Recorded);

        var replay = new ReplayFeed("replay", TestData.Universe, new ReplayFeedOptions { Path = path, Speed = 0 });
        var replayed = TestData.RunToCompletion([replay]);

        Assert.Equal(0, replay.RejectedTicks);
        TestData.AssertSameTicks(live, replayed);
    }

    [Fact]
    public void Replay_TenTimesSpeed_OneSecondRecordingTakesATenth()
    {
        var path = WriteEvenlySpaced("pace10.mstk", seconds: 1.0, ticks: 200);
        var replay = new ReplayFeed("r", TestData.Universe, new ReplayFeedOptions { Path = path, Speed = 10 });

        var watch = Stopwatch.StartNew();
        var ticks = TestData.RunToCompletion([replay]);
        watch.Stop();

        Assert.Equal(200, ticks.Count);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.09, 0.6);
    }

    [Fact]
    public void Replay_RecordedPace_HalfSecondRecordingTakesHalfASecond()
    {
        var path = WriteEvenlySpaced("pace1.csv", seconds: 0.5, ticks: 100);
        var replay = new ReplayFeed("r", TestData.Universe, new ReplayFeedOptions { Path = path, Speed = 1 });

        var watch = Stopwatch.StartNew();
        var ticks = TestData.RunToCompletion([replay]);
        watch.Stop();

        Assert.Equal(100, ticks.Count);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.45, 1.3);

        // Spacing survives: ticks are released over the whole interval, not in one burst.
        var spreadNs = ticks[^1].ReceiveTimeNs - ticks[0].ReceiveTimeNs;
        Assert.InRange(spreadNs / 1e9, 0.4, 1.3);
    }

    [Fact]
    public void Replay_Loop_ShiftsExchangeTimesForward()
    {
        var path = WriteEvenlySpaced("loop.mstk", seconds: 0.01, ticks: 50);
        var replay = new ReplayFeed("r", TestData.Universe, new ReplayFeedOptions { Path = path, Speed = 0, Loop = true });
        using var pipeline = new Core.Ring.RingPipeline<Tick>(1024, Core.Ring.ProducerType.Multi);
        var collector = new TickCollector();
        pipeline.HandleWith(collector);
        using var host = new FeedHost(pipeline.RingBuffer);
        host.Add(replay);
        pipeline.Start();
        host.Start();
        var deadline = Stopwatch.StartNew();
        while (replay.Laps < 3 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(5);
        }

        host.Stop(TimeSpan.FromSeconds(5));
        pipeline.Drain(TimeSpan.FromSeconds(5));

        Assert.True(collector.Ticks.Count >= 150);
        Assert.Equal(0, replay.RejectedTicks);
        for (var i = 1; i < collector.Ticks.Count; i++)
        {
            Assert.True(collector.Ticks[i].ExchangeTimeNs > collector.Ticks[i - 1].ExchangeTimeNs);
        }
    }

    [Fact]
    public void Replay_InvalidTicks_AreRejectedAndCounted()
    {
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(path, string.Join('\n',
            "exchange_time_ns,symbol,kind,bid_price,bid_size,ask_price,ask_size,price,size,side,conditions",
            "1000,AAPL,Q,189.50,100,189.51,200,,,,",
            "2000,NOPE,Q,1.00,1,1.01,1,,,,",
            "3000,AAPL,Q,189.52,100,189.51,200,,,,",
            "4000,AAPL,T,,,,,0.00,100,B,",
            "5000,AAPL,T,,,,,189.51,-100,B,",
            "500,AAPL,T,,,,,189.51,100,S,",
            "6000,AAPL,X,,,,,189.51,100,S,",
            "7000,AAPL,T,,,,,189.51,100,Z,",
            "8000,THIS_SYMBOL_NAME_IS_FAR_TOO_LONG_TO_BE_REAL,Q,1.00,1,1.01,1,,,,",
            "9000,AAPL,T,,,,,189.51,100,,12",
            ""));
        var replay = new ReplayFeed("r", TestData.Universe, new ReplayFeedOptions { Path = path, Speed = 0 });
        var ticks = TestData.RunToCompletion([replay]);

        Assert.Equal(2, ticks.Count);
        Assert.Equal(12, ticks[1].Conditions);
        Assert.Equal(TradeSide.Unknown, ticks[1].Side);
        var counts = replay.Rejects;
        Assert.Equal(1, counts[IngestRejectCode.UnknownSymbol]);
        Assert.Equal(1, counts[IngestRejectCode.CrossedQuote]);
        Assert.Equal(1, counts[IngestRejectCode.NonPositivePrice]);
        Assert.Equal(1, counts[IngestRejectCode.NegativeSize]);
        Assert.Equal(1, counts[IngestRejectCode.OutOfOrder]);
        Assert.Equal(1, counts[IngestRejectCode.BadKind]);
        Assert.Equal(1, counts[IngestRejectCode.BadSide]);
        Assert.Equal(1, counts[IngestRejectCode.InvalidSymbol]);
        Assert.Equal(8, replay.RejectedTicks);
    }

    private string WriteEvenlySpaced(string name, double seconds, int ticks)
    {
        var path = Path.Combine(_dir, name);
        using var writer = TickFiles.CreateWriter(path, TickFileFormat.Auto, TestData.Universe);
        var id = TestData.Universe.IdOf("EURUSD");
        var start = 1_704_205_800_000_000_000L;
        for (var i = 0; i < ticks; i++)
        {
            var t = new Tick
            {
                SymbolId = id,
                Kind = TickKind.Quote,
                BidPrice = 109_410 + i,
                AskPrice = 109_412 + i,
                BidSize = 1_000_000,
                AskSize = 2_000_000,
                ExchangeTimeNs = start + (long)(i * seconds * 1e9 / (ticks - 1)),
            };
            writer.Write(in t);
        }

        return path;
    }
}
