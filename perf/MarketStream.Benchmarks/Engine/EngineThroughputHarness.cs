using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using MarketStream.Core.Ring;
using MarketStream.Core.Sessions;
using MarketStream.Journal;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Benchmarks.Engine;

/// <summary>
/// End-to-end engine throughput (perf/README.md, Engine): a producer thread publishes pre-built ticks into a
/// multi-producer <see cref="RingPipeline{T}"/> → <c>engine.Sequencing</c> → <c>engine.FanOut</c>
/// (gated on the sequencer) with the real MessagePack encoder → N conflating sessions, whose
/// outboxes this (main) thread drains into a real <see cref="BatchWriter"/>, as the sessions'
/// writer loops would (minus the socket). Whole-run timing, like the ring harness.
/// With <c>--journal off,on</c> each configuration also runs with the tick journal's stage beside fan-out
/// (writing to a temporary directory), alternating, for the journal-on/off ratio.
/// <c>dotnet run -c Release --project perf/MarketStream.Benchmarks -- engine-throughput [--runs 5] [--sessions 1,100,1000] [--wait yielding,blocking,sleeping,busyspin] [--ticks N] [--drain poll|none] [--journal off|on|off,on]</c>
/// </summary>
internal static class EngineThroughputHarness
{
    private const int RingSize = 1 << 16;
    private const int DefaultRuns = 5;

    public static int Run(string[] args)
    {
        var runs = DefaultRuns;
        long? ticksOverride = null;
        int[] sessionCounts = [1, 100, 1000];
        string[] waits = ["yielding", "blocking", "sleeping"];
        var drain = true;
        bool[] journalModes = [false];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--ticks" when i + 1 < args.Length:
                    ticksOverride = long.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--sessions" when i + 1 < args.Length:
                    var parts = args[++i].Split(',');
                    sessionCounts = new int[parts.Length];
                    for (var p = 0; p < parts.Length; p++)
                    {
                        sessionCounts[p] = int.Parse(parts[p], CultureInfo.InvariantCulture);
                    }

                    break;
                case "--wait" when i + 1 < args.Length:
                    waits = args[++i].Split(',');
                    break;
                case "--journal" when i + 1 < args.Length:
                    var modes = args[++i].Split(',');
                    journalModes = new bool[modes.Length];
                    for (var m = 0; m < modes.Length; m++)
                    {
                        journalModes[m] = modes[m] switch
                        {
                            "on" => true,
                            "off" => false,
                            _ => throw new ArgumentException("--journal is off, on or off,on."),
                        };
                    }

                    break;
                case "--drain" when i + 1 < args.Length:
                    drain = args[++i] switch
                    {
                        "poll" => true,
                        "none" => false,
                        _ => throw new ArgumentException("--drain is poll or none."),
                    };
                    break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'. Usage: engine-throughput [--runs N] [--sessions 1,100,1000] [--wait yielding,blocking,sleeping,busyspin] [--ticks N] [--drain poll|none]");
                    return 2;
            }
        }

        if (runs < 1 || ticksOverride is < 1)
        {
            Console.Error.WriteLine("--runs and --ticks must be at least 1.");
            return 2;
        }

        foreach (var wait in waits)
        {
            _ = CreateWaitStrategy(wait); // fail on a typo before minutes of runs
        }

        var feed = EngineScenario.BuildFeed(seed: 7);
        Console.WriteLine($"command: engine-throughput {string.Join(' ', args)}");
        Console.WriteLine($"engine-throughput: {runs} runs; {EngineScenario.Symbols} symbols, {EngineScenario.SymbolsPerSession} per session, conflated; ring {RingSize} (multi-producer, 1 producer thread); drain {(drain ? "poll (main thread → BatchWriter 64 KiB)" : "none (sessions stalled)")}; {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"load average at start: {LoadAverage()}");
        Console.WriteLine("warm-up (not counted)...");
        RunOnce(100, 200_000, feed, "yielding", drain, seed: 1, journal: journalModes[^1]);

        var configs = new List<(int Sessions, string Wait, long Ticks, bool Journal)>();
        foreach (var sessions in sessionCounts)
        {
            foreach (var wait in waits)
            {
                foreach (var journal in journalModes)
                {
                    configs.Add((sessions, wait, ticksOverride ?? DefaultTicks(sessions), journal));
                }
            }
        }

        var results = new List<EngineRunResult>[configs.Count];
        for (var c = 0; c < configs.Count; c++)
        {
            results[c] = [];
        }

        for (var round = 1; round <= runs; round++)
        {
            for (var c = 0; c < configs.Count; c++)
            {
                var (sessions, wait, ticks, journal) = configs[c];
                var result = RunOnce(sessions, ticks, feed, wait, drain, seed: 42, journal);
                results[c].Add(result);
                Console.WriteLine(
                    $"run {round,2} {sessions,5} sessions {wait,-9} journal {(journal ? "on " : "off")} {Millions(result.TicksPerSecond),7} ticks/s  seq batch {result.SequencerBatch,8:F1}  fan-out batch {result.FanOutBatch,8:F1}  offers/tick {result.OffersPerTick,5:F2}  merged {result.MergedRatio:P1}  {result.BytesPerTick:F3} B/tick  {result.PageFaults} faults");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load average at end: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine(FormatTable(configs, results, runs, drain));
        return 0;
    }

    private static long DefaultTicks(int sessions) => sessions switch
    {
        <= 10 => 10_000_000,
        <= 100 => 5_000_000,
        _ => 500_000,
    };

    private static EngineRunResult RunOnce(int sessions, long ticks, Tick[] feed, string wait, bool drain, int seed, bool journal = false)
    {
        var scenario = new EngineScenario(sessions, feed, seed);
        var engine = scenario.Engine;
        var sequencerBatches = new BatchCounter();
        var fanOutBatches = new BatchCounter();
        var pipeline = new RingPipeline<Tick>(RingSize, ProducerType.Multi, CreateWaitStrategy(wait));
        var sequencerStage = pipeline.HandleWith(new BatchCountingHandler(engine.Sequencing, sequencerBatches));
        var fanOutStage = pipeline.HandleWith(new BatchCountingHandler(engine.FanOut, fanOutBatches), sequencerStage);
        var journalDirectory = Path.Combine(Path.GetTempPath(), "msj-bench-" + Guid.NewGuid().ToString("N"));
        using var tickJournal = journal
            ? TickJournal.Open(new JournalOptions { Enabled = true, Path = journalDirectory, MaxTotalBytes = 64L << 30 }, engine.Registry, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            : null;
        if (tickJournal is not null)
        {
            pipeline.HandleWith(tickJournal.Stage, sequencerStage);
            tickJournal.Start();
        }

        pipeline.Start();
        var ring = pipeline.RingBuffer;

        // Warm-up laps, untimed: HistoryDepth quotes per symbol, so every history slot (allocated
        // on the symbol's first tick, ~320 KB per symbol) and every ring slot has been written once
        // before the clock starts. The figure is the steady state the 0 B/tick target is about: no
        // first allocation or first-write page fault (several µs each on this VM) inside the timed
        // region, where their count, not the engine, would decide the run-to-run spread
        // (perf/notes/engine.md, "The warm-up that the figure needed").
        var warmTicks = (long)EngineScenario.Symbols * EngineScenario.HistoryDepth;
        for (var lap = 0; lap < EngineScenario.HistoryDepth; lap++)
        {
            for (var i = 0; i < EngineScenario.Symbols; i++)
            {
                var sequence = ring.Next();
                ring[sequence] = new Tick { SymbolId = i, Kind = TickKind.Quote, BidPrice = 1000 + lap, AskPrice = 1001 + lap, BidSize = 1, AskSize = 1 };
                ring.Publish(sequence);
            }
        }

        var fanOutSequence = fanOutStage.Sequence;
        var lastStage = tickJournal is null ? fanOutSequence : pipeline.Stages[^1].Sequence;
        while (fanOutSequence.Value < warmTicks - 1 || lastStage.Value < warmTicks - 1)
        {
            Thread.Sleep(1);
        }

        // The stages are idle now (all caught up): the batch columns count the timed ticks only.
        Volatile.Write(ref sequencerBatches.Batches, 0);
        Volatile.Write(ref fanOutBatches.Batches, 0);

        var writer = new BatchWriter(64 * 1024);
        var sink = new BatchWriterSink(writer);
        foreach (var outbox in scenario.Outboxes)
        {
            while (outbox.Drain(sink) == DrainStatus.FrameFull)
            {
                writer.Reset();
            }

            writer.Reset();
        }

        var baseline = Totals(scenario.Outboxes);
        var offersBefore = engine.UpdatesOffered;

        using var go = new ManualResetEventSlim(false);
        var producer = new Thread(() =>
        {
            go.Wait();
            Produce(ring, feed, ticks);
        })
        { IsBackground = true, Name = "engine-producer" };
        producer.Start();

        var frames = 0L;
        var frameBytes = 0L;
        var last = warmTicks + ticks - 1; // ring sequences start at 0 on a new ring

        Collect();
        var faultsBefore = MinorFaults();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        go.Set();
        long ended;
        if (drain)
        {
            ended = DrainUntil(scenario.Outboxes, writer, sink, fanOutSequence, last, ref frames, ref frameBytes);
        }
        else
        {
            // Sessions never drain: each conflation slot fills once and then only merges (the
            // stalled-session case); this thread only watches, so it sleeps between looks.
            while (fanOutSequence.Value < last)
            {
                Thread.Sleep(1);
            }

            ended = Stopwatch.GetTimestamp();
        }

        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var faults = MinorFaults() - faultsBefore;
        var elapsed = Stopwatch.GetElapsedTime(started, ended);
        producer.Join();
        if (!pipeline.Drain(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("The pipeline did not drain.");
        }

        if (pipeline.Fault is { } fault)
        {
            throw new InvalidOperationException("A stage faulted.", fault);
        }

        if (tickJournal is not null)
        {
            tickJournal.Stop(TimeSpan.FromSeconds(60));
            var missed = tickJournal.Missed;
            var written = tickJournal.BytesWritten;
            tickJournal.Dispose();
            Directory.Delete(journalDirectory, recursive: true);
            Console.WriteLine($"    journal: {written / (1 << 20):N0} MiB written, {missed:N0} updates missed");
        }

        // Everything offered is now either delivered or folded into a delivered merged update
        // (poll) or still pending (none): check the books balance before trusting the figures.
        if (drain)
        {
            foreach (var outbox in scenario.Outboxes)
            {
                while (outbox.Drain(sink) == DrainStatus.FrameFull)
                {
                    writer.Reset();
                }

                writer.Reset();
            }
        }

        var totals = Totals(scenario.Outboxes);
        var sent = totals.Sent - baseline.Sent;
        var conflated = totals.Conflated - baseline.Conflated;
        var offers = engine.UpdatesOffered - offersBefore;
        if (engine.TicksSequenced != warmTicks + ticks || (drain && sent + conflated != offers))
        {
            throw new InvalidOperationException(
                $"Engine run is wrong: sequenced {engine.TicksSequenced}/{warmTicks + ticks}, delivered {sent} + conflated {conflated} != offered {offers}.");
        }

        foreach (var outbox in scenario.Outboxes)
        {
            outbox.Dispose();
        }

        return new EngineRunResult(
            ticks / elapsed.TotalSeconds,
            (double)ticks / Math.Max(1, Volatile.Read(ref sequencerBatches.Batches)),
            (double)ticks / Math.Max(1, Volatile.Read(ref fanOutBatches.Batches)),
            (double)offers / ticks,
            sent,
            offers == 0 ? 0 : (double)conflated / offers,
            frames,
            frames == 0 ? 0 : (double)frameBytes / frames,
            (double)allocated / ticks,
            faults);
    }

    // Page faults of the whole process so far (/proc/self/stat field 10, minflt): a run that takes
    // first-touch faults on fresh memory in its timed region measures the kernel, not the engine.
    private static long MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture); // field 10 overall; 3 is fields[0]
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static (long Sent, long Conflated) Totals(SessionOutbox[] outboxes)
    {
        long sent = 0, conflated = 0;
        foreach (var outbox in outboxes)
        {
            var figures = outbox.GetFigures();
            sent += figures.UpdatesSent;
            conflated += figures.UpdatesConflated;
        }

        return (sent, conflated);
    }

    /// <summary>
    /// The writer loops' work on this thread: drain every outbox into a frame, "send" it (complete
    /// and reset), until fan-out has handled the last tick; yields when a whole pass found nothing.
    /// Returns the timestamp at which fan-out was first seen done.
    /// </summary>
    private static long DrainUntil(SessionOutbox[] outboxes, BatchWriter writer, BatchWriterSink sink, Sequence fanOut, long last, ref long frames, ref long frameBytes)
    {
        while (true)
        {
            var drained = false;
            for (var i = 0; i < outboxes.Length; i++)
            {
                DrainStatus status;
                do
                {
                    status = outboxes[i].Drain(sink);
                    if (writer.Count > 0)
                    {
                        frameBytes += writer.Complete().Count;
                        frames++;
                        writer.Reset();
                        drained = true;
                    }
                }
                while (status == DrainStatus.FrameFull);

                if (fanOut.Value >= last)
                {
                    return Stopwatch.GetTimestamp();
                }
            }

            if (!drained)
            {
                Thread.Yield();
            }
        }
    }

    // Runs once per round: compiled optimised at once, as a long-running feed thread would be.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Produce(RingBuffer<Tick> ring, Tick[] feed, long ticks)
    {
        // The feed's length is a power of two (EngineScenario.FeedLength), so a mask wraps it.
        var mask = feed.Length - 1;
        for (long i = 0; i < ticks; i++)
        {
            var sequence = ring.Next();
            ring[sequence] = feed[(int)(i & mask)];
            ring.Publish(sequence);
        }
    }

    private static string FormatTable(List<(int Sessions, string Wait, long Ticks, bool Journal)> configs, List<EngineRunResult>[] results, int runs, bool drain)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{runs} runs per row; ticks/s as median (min–max); drain: {(drain ? "main thread polls every outbox into a 64 KiB BatchWriter" : "none (stalled sessions: each slot fills once, then only merges)")}; load average {LoadAverage()}.");
        text.AppendLine();

        // Without draining there is nothing delivered to report, so those columns are left out.
        text.AppendLine(drain
            ? "| sessions | wait strategy | journal | ticks/run | ticks/s | vs 5M target | offers/s | seq avg batch | fan-out avg batch | offers/tick | updates delivered/run | merged ratio | frames/run (avg B) | B/tick |"
            : "| sessions | wait strategy | journal | ticks/run | ticks/s | vs 5M target | offers/s | seq avg batch | fan-out avg batch | offers/tick | B/tick |");
        text.AppendLine(drain
            ? "|---:|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
            : "|---:|---|---|---:|---|---:|---:|---:|---:|---:|---:|");
        for (var c = 0; c < configs.Count; c++)
        {
            var r = results[c];
            var rate = Median(r, x => x.TicksPerSecond);
            var offersPerTick = Median(r, x => x.OffersPerTick);
            text.Append(CultureInfo.InvariantCulture,
                $"| {configs[c].Sessions:N0} | {configs[c].Wait} | {(configs[c].Journal ? "on" : "off")} | {configs[c].Ticks:N0} | {Millions(rate)} ({Millions(Min(r, x => x.TicksPerSecond))}–{Millions(Max(r, x => x.TicksPerSecond))}) | {rate / 5e6:F3}× | {Millions(Median(r, x => x.TicksPerSecond * x.OffersPerTick))} | {Median(r, x => x.SequencerBatch):F0} | {Median(r, x => x.FanOutBatch):F0} | {offersPerTick:F2} |");
            if (drain)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $" {Median(r, x => x.UpdatesDelivered):N0} | {Median(r, x => x.MergedRatio):P1} | {Median(r, x => x.Frames):N0} ({Median(r, x => x.AverageFrameBytes):N0}) |");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $" {Max(r, x => x.BytesPerTick):F3} |");
        }

        text.AppendLine();
        text.Append("offers/s = ticks/s × offers/tick (median run); ");
        if (drain)
        {
            text.Append("merged ratio = offered updates folded into a merged update / offered updates; ");
        }

        text.Append("B/tick = GC.GetTotalAllocatedBytes (all threads) over the timed region / ticks, worst run.");
        return text.ToString();
    }

    private static IWaitStrategy CreateWaitStrategy(string name) => name switch
    {
        "busy-spin" or "busyspin" => new BusySpinWaitStrategy(),
        "yielding" => new YieldingWaitStrategy(),
        "sleeping" => new SleepingWaitStrategy(),
        "blocking" => new BlockingWaitStrategy(),
        _ => throw new ArgumentException($"Unknown wait strategy '{name}'.", nameof(name)),
    };

    private static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Median(List<EngineRunResult> results, Func<EngineRunResult, double> selector)
    {
        var values = new double[results.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = selector(results[i]);
        }

        Array.Sort(values);
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static double Min(List<EngineRunResult> results, Func<EngineRunResult, double> selector)
    {
        var min = double.MaxValue;
        foreach (var result in results)
        {
            min = Math.Min(min, selector(result));
        }

        return min;
    }

    private static double Max(List<EngineRunResult> results, Func<EngineRunResult, double> selector)
    {
        var max = double.MinValue;
        foreach (var result in results)
        {
            max = Math.Max(max, selector(result));
        }

        return max;
    }

    // Rates span 10k (1,000 sessions) to 10M ticks/s: millions with two decimals, thousands below 1M.
    private static string Millions(double perSecond) => perSecond >= 1e6
        ? (perSecond / 1e6).ToString("F2", CultureInfo.InvariantCulture) + "M"
        : (perSecond / 1e3).ToString("F0", CultureInfo.InvariantCulture) + "k";
}

/// <summary>One timed run of <see cref="EngineThroughputHarness"/>.</summary>
internal readonly record struct EngineRunResult(
    double TicksPerSecond,
    double SequencerBatch,
    double FanOutBatch,
    double OffersPerTick,
    long UpdatesDelivered,
    double MergedRatio,
    long Frames,
    double AverageFrameBytes,
    double BytesPerTick,
    long PageFaults);
