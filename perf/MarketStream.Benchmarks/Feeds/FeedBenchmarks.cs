using BenchmarkDotNet.Attributes;
using MarketStream.Core.Ring;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Replay;
using MarketStream.Feeds.Symbols;
using MarketStream.Feeds.Synthetic;
using MarketStream.Model;

namespace MarketStream.Benchmarks.Feeds;

/// <summary>
/// Feed production rates (target: ≥ 5M ticks/s into the ring). Each operation is one
/// tick; the ring runs a real consumer stage on its own thread, so "into the ring" includes
/// claim, publish and the consumer keeping up. Run:
/// <c>dotnet run -c Release --project perf/MarketStream.Benchmarks -- --filter '*FeedBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class FeedBenchmarks
{
    private const int TicksPerInvoke = 1_000_000;

    private SymbolUniverse _universe = null!;
    private RingPipeline<Tick> _pipeline = null!;
    private TickPublisher _publisher = null!;
    private byte[] _capture = null!;
    private string _capturePath = null!;
    private Tick[] _scratch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _universe = UniverseLoader.LoadEmbedded();
        _pipeline = new RingPipeline<Tick>(65_536, ProducerType.Multi, new YieldingWaitStrategy());
        _pipeline.HandleWith(new CountingStage());
        _pipeline.Start();
        var host = new FeedHost(_pipeline.RingBuffer);
        _publisher = host.AddExternalPublisher("bench");
        _scratch = new Tick[1];

        // A capture of TicksPerInvoke synthetic ticks, in memory and on disk.
        var model = new SyntheticModel(_universe, new SyntheticFeedOptions { Seed = 1, StartTime = DateTimeOffset.UnixEpoch }, 1);
        var stream = new MemoryStream();
        using (var writer = new BinaryTickWriter(stream, _universe, leaveOpen: true))
        {
            var t = default(Tick);
            for (var i = 0; i < TicksPerInvoke; i++)
            {
                model.Next(ref t, 0);
                writer.Write(in t);
            }
        }

        _capture = stream.ToArray();
        _capturePath = Path.Combine(Path.GetTempPath(), $"feedbench-{Environment.ProcessId}.mstk");
        File.WriteAllBytes(_capturePath, _capture);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.Drain(TimeSpan.FromSeconds(10));
        File.Delete(_capturePath);
    }

    /// <summary>The random walk alone, into one reused slot.</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void SyntheticGenerate()
    {
        var model = new SyntheticModel(_universe, new SyntheticFeedOptions { Seed = 2 }, 2);
        for (var i = 0; i < TicksPerInvoke; i++)
        {
            model.Next(ref _scratch[0], 0);
        }
    }

    /// <summary>The synthetic feed, unpaced, into the ring (batches of 256).</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void SyntheticIntoRing()
    {
        var feed = new SyntheticFeed("bench", _universe, new SyntheticFeedOptions { Seed = 3, Rate = 0, MaxTicks = TicksPerInvoke });
        feed.Run(_publisher, 0, CancellationToken.None);
        WaitConsumed();
    }

    /// <summary>Decoding the binary capture alone.</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public long BinaryDecode()
    {
        using var reader = new BinaryTickReader(new MemoryStream(_capture), _universe, "bench.mstk");
        var t = default(Tick);
        long n = 0;
        while (reader.Read(ref t, out _) != TickReadStatus.End)
        {
            n++;
        }

        return n;
    }

    /// <summary>The replay feed, as fast as possible, from a binary file into the ring (decode, validate, publish).</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void ReplayIntoRing()
    {
        var feed = new ReplayFeed("bench", _universe, new ReplayFeedOptions { Path = _capturePath, Speed = 0 });
        feed.Run(_publisher, 0, CancellationToken.None);
        WaitConsumed();
    }

    private void WaitConsumed()
    {
        var target = _pipeline.RingBuffer.Cursor;
        var spinner = default(SpinWait);
        while (_pipeline.Stages[0].Sequence.Value < target)
        {
            spinner.SpinOnce();
        }
    }
}
