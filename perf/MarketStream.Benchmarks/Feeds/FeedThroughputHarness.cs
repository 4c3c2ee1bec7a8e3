using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MarketStream.Core.Ring;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Replay;
using MarketStream.Feeds.Symbols;
using MarketStream.Feeds.Synthetic;
using MarketStream.Model;

namespace MarketStream.Benchmarks.Feeds;

/// <summary>
/// Feed rates into the ring (target: synthetic and replay each ≥ 5M ticks/s), timed over
/// whole runs: each scenario publishes into a fresh multi-producer ring (65,536 slots, yielding
/// wait) whose consumer stage touches every slot, and the clock stops when the consumer has seen
/// the last tick. In each round every scenario runs once, next to a ring-only baseline (a producer
/// that claims 256 slots, stores a prepared tick in each and publishes — the most any feed could
/// reach on this ring and machine).
/// <c>dotnet run -c Release --project perf/MarketStream.Benchmarks -p:SkipWebFrontEnd=true -- feed-throughput [--runs 5] [--ticks 5000000] [--replay-ticks 2000000]</c>
/// </summary>
internal static class FeedThroughputHarness
{
    private const double Target = 5_000_000;
    private const int RingSize = 65_536;

    public static int Run(string[] args)
    {
        var runs = 5;
        var ticks = 5_000_000;
        var replayTicks = 2_000_000;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--ticks" when i + 1 < args.Length: ticks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--replay-ticks" when i + 1 < args.Length: replayTicks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'. Usage: feed-throughput [--runs N] [--ticks N] [--replay-ticks N]");
                    return 2;
            }
        }

        if (runs < 1 || ticks < 1_000 || replayTicks < 1_000)
        {
            Console.Error.WriteLine("--runs must be at least 1, --ticks and --replay-ticks at least 1,000.");
            return 2;
        }

        var universe = UniverseLoader.LoadEmbedded();
        var directory = Directory.CreateTempSubdirectory("feed-throughput-");
        try
        {
            var binary = Path.Combine(directory.FullName, "capture.mstk");
            var csv = Path.Combine(directory.FullName, "capture.csv");
            WriteCapture(universe, binary, replayTicks);
            WriteCapture(universe, csv, replayTicks);
            Console.WriteLine($"feed-throughput: {runs} runs; synthetic and ring-only {ticks:N0} ticks, replay {replayTicks:N0} ticks " +
                $"(.mstk {new FileInfo(binary).Length / 1024.0 / 1024:F1} MiB, .csv {new FileInfo(csv).Length / 1024.0 / 1024:F1} MiB, files in the page cache); " +
                $"ring {RingSize}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}");

            var scenarios = new (string Name, int Ticks, Action<TickPublisher> Produce)[]
            {
                ("ring only (baseline)", ticks, p => RingOnly(p, ticks)),
                ("synthetic, unpaced", ticks, p => new SyntheticFeed("bench", universe, new SyntheticFeedOptions { Seed = 7, Rate = 0, MaxTicks = ticks }).Run(p, 0, CancellationToken.None)),
                ("replay .mstk, speed 0", replayTicks, p => Replay(universe, binary, p)),
                ("replay .csv, speed 0", replayTicks, p => Replay(universe, csv, p)),
                // Where the time goes: the same work without the ring (the publisher is not used).
                ("synthetic model only", ticks, _ => ModelOnly(universe, ticks)),
                (".mstk decode only", replayTicks, _ => DecodeOnly(universe, binary)),
            };

            Console.WriteLine("warm-up round (not counted)...");
            foreach (var (_, n, produce) in scenarios)
            {
                Measure(produce, n, out _);
            }

            var rates = new List<double>[scenarios.Length];
            var allocations = new List<double>[scenarios.Length];
            for (var s = 0; s < scenarios.Length; s++)
            {
                rates[s] = [];
                allocations[s] = [];
            }

            for (var round = 1; round <= runs; round++)
            {
                for (var s = 0; s < scenarios.Length; s++)
                {
                    var (name, n, produce) = scenarios[s];
                    var rate = Measure(produce, n, out var bytesPerTick);
                    rates[s].Add(rate);
                    allocations[s].Add(bytesPerTick);
                    Console.WriteLine($"run {round,2} {name,-22} {Rates.Format(rate),8} ticks/s  ({bytesPerTick:F3} B/tick)");
                }
            }

            var baseline = Rates.Median(rates[0]);
            Console.WriteLine();
            Console.WriteLine($"{runs} runs; ticks/s as median (min–max); target {Rates.Format(Target)} ticks/s.");
            Console.WriteLine();
            Console.WriteLine("| scenario | ticks/s | B/tick | vs target 5M | vs ring only |");
            Console.WriteLine("|---|---|---|---|---|");
            for (var s = 0; s < scenarios.Length; s++)
            {
                var median = Rates.Median(rates[s]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {scenarios[s].Name} | {Rates.Format(median)} ({Rates.Format(rates[s].Min())}–{Rates.Format(rates[s].Max())}) | {Rates.Median(allocations[s]):F3} | {median / Target:F2}× | {median / baseline:F2}× |"));
            }

            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Runs one producer into a fresh ring until its consumer has seen every tick; ticks/s.</summary>
    private static double Measure(Action<TickPublisher> produce, long expected, out double bytesPerTick)
    {
        using var pipeline = new RingPipeline<Tick>(RingSize, ProducerType.Multi, new YieldingWaitStrategy());
        var consumer = new CountingStage();
        pipeline.HandleWith(consumer);
        pipeline.Start();
        var publisher = new FeedHost(pipeline.RingBuffer).AddExternalPublisher("bench");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        produce(publisher);
        var last = pipeline.RingBuffer.Cursor;
        var spinner = default(SpinWait);
        while (pipeline.Stages[0].Sequence.Value < last)
        {
            spinner.SpinOnce();
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        bytesPerTick = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)expected;
        if (publisher.Published != expected && publisher.Published != 0)
        {
            throw new InvalidOperationException($"published {publisher.Published:N0} ticks, expected {expected:N0}");
        }

        pipeline.Drain(TimeSpan.FromSeconds(10));
        return expected / elapsed;
    }

    private static void RingOnly(TickPublisher publisher, int count)
    {
        var prepared = new Tick { Kind = TickKind.Quote, BidPrice = 108_431, BidSize = 1, AskPrice = 108_433, AskSize = 1, ExchangeTimeNs = 1 };
        var done = 0;
        while (done < count)
        {
            var n = publisher.Claim(Math.Min(256, count - done), CancellationToken.None, out var low);
            for (var j = 0; j < n; j++)
            {
                ref var slot = ref publisher[low + j];
                slot = prepared;
                slot.SymbolId = (done + j) & 63;
            }

            publisher.Publish(low, n);
            done += n;
        }
    }

    private static void ModelOnly(SymbolUniverse universe, int count)
    {
        var model = new SyntheticModel(universe, new SyntheticFeedOptions { Seed = 7, StartTime = DateTimeOffset.UnixEpoch }, 7);
        var slot = new Tick[1];
        for (var i = 0; i < count; i++)
        {
            model.Next(ref slot[0], 0);
        }
    }

    private static void DecodeOnly(SymbolUniverse universe, string path)
    {
        using var reader = TickFiles.OpenReader(path, TickFileFormat.Auto, universe);
        var t = default(Tick);
        while (reader.Read(ref t, out _) != TickReadStatus.End)
        {
        }
    }

    private static void Replay(SymbolUniverse universe, string path, TickPublisher publisher)
    {
        var feed = new ReplayFeed("bench", universe, new ReplayFeedOptions { Path = path, Speed = 0 });
        feed.Run(publisher, 0, CancellationToken.None);
        if (feed.RejectedTicks != 0)
        {
            throw new InvalidOperationException($"replay of {path} rejected {feed.RejectedTicks} ticks");
        }
    }

    /// <summary>A seeded synthetic stream written by the project's own writers (the recorder's format).</summary>
    private static void WriteCapture(SymbolUniverse universe, string path, int count)
    {
        var model = new SyntheticModel(universe, new SyntheticFeedOptions { Seed = 11, StartTime = DateTimeOffset.UnixEpoch.AddYears(54) }, 11);
        using var writer = TickFiles.CreateWriter(path, TickFileFormat.Auto, universe);
        var t = default(Tick);
        for (var i = 0; i < count; i++)
        {
            model.Next(ref t, 0);
            writer.Write(in t);
        }

        writer.Complete();
    }
}
