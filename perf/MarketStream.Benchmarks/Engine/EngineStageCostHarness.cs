using System.Diagnostics;
using System.Globalization;
using MarketStream.Core.Ring;
using MarketStream.Core.Sessions;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Benchmarks.Engine;

/// <summary>
/// Per-stage cost on one thread, with the real encoder and the scenario of
/// <see cref="EngineThroughputHarness"/>: blocks of 4,096 ticks go through the sequencer (timed),
/// then the same slots through fan-out (timed), then every outbox is drained into a real
/// <see cref="BatchWriter"/> (timed separately). One thread, so it is the tool for before/after
/// comparisons on a shared machine: each block (~0.5–1 ms) is timed on its own and the figures are
/// the 10th percentile and median over all blocks, so blocks during which the thread was
/// descheduled (load from other processes) fall out instead of inflating an average.
/// <c>--batch</c> is the ring batch each stage is handed (<c>endOfBatch</c> every N ticks; a power of
/// two up to 4,096): 64 is a lightly loaded pipeline, 4,096 one that is behind, as under a full load.
/// <c>dotnet run -c Release --project perf/MarketStream.Benchmarks -- engine-stages [--sessions 100] [--ticks 2000000] [--reps 7] [--batch 64]</c>
/// </summary>
internal static class EngineStageCostHarness
{
    private const int Block = 4096;

    public static int Run(string[] args)
    {
        var sessions = 100;
        var ticks = 2_000_000L;
        var reps = 7;
        var batch = 64;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sessions" when i + 1 < args.Length:
                    sessions = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--ticks" when i + 1 < args.Length:
                    ticks = long.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--reps" when i + 1 < args.Length:
                    reps = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--batch" when i + 1 < args.Length:
                    batch = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'. Usage: engine-stages [--sessions N] [--ticks N] [--reps N] [--batch N]");
                    return 2;
            }
        }

        if (batch < 1 || batch > Block || (batch & (batch - 1)) != 0)
        {
            Console.Error.WriteLine($"--batch must be a power of two from 1 to {Block}.");
            return 2;
        }

        var feed = EngineScenario.BuildFeed(seed: 7);
        var scenario = new EngineScenario(sessions, feed, seed: 42);
        var sequencer = scenario.Engine.Sequencing;
        var fanOut = scenario.Engine.FanOut;
        var writer = new BatchWriter(64 * 1024);
        var sink = new BatchWriterSink(writer);
        var slots = new Tick[Block];
        var mask = feed.Length - 1;
        long position = 0, ringSequence = 0;

        // Warm-up (histories allocated, code at tier 1), then the timed repetitions.
        var perBlockSequencer = new List<double>();
        var perBlockFanOut = new List<double>();
        var perBlockDrain = new List<double>();
        Pass(ticks / 4);
        perBlockSequencer.Clear();
        perBlockFanOut.Clear();
        perBlockDrain.Clear();
        for (var rep = 0; rep < reps; rep++)
        {
            var (s, f, d) = Pass(ticks);
            Console.WriteLine($"rep {rep + 1}: mean sequencer {s:F1} ns/tick, fan-out {f:F1} ns/tick, drain {d:F1} ns/tick");
        }

        Console.WriteLine();
        Console.WriteLine($"{sessions} sessions, {ticks:N0} ticks × {reps} reps in blocks of {Block}, ring batches of {batch}; ns/tick per block as p10 / median (load average {File.ReadAllText("/proc/loadavg").Trim()}):");
        Console.WriteLine($"| sessions | sequencer ns/tick | fan-out ns/tick | drain ns/tick | pipelined bound (slower stage, medians) |");
        Console.WriteLine($"|---:|---:|---:|---:|---:|");
        var sequencerMedian = Percentile(perBlockSequencer, 0.5);
        var fanOutMedian = Percentile(perBlockFanOut, 0.5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {sessions:N0} | {Percentile(perBlockSequencer, 0.1):F1} / {sequencerMedian:F1} | {Percentile(perBlockFanOut, 0.1):F1} / {fanOutMedian:F1} | {Percentile(perBlockDrain, 0.1):F1} / {Percentile(perBlockDrain, 0.5):F1} | {1e3 / Math.Max(sequencerMedian, fanOutMedian):F2}M ticks/s |"));
        return 0;

        (double Sequencer, double FanOut, double Drain) Pass(long count)
        {
            long sequencerTicks = 0, fanOutTicks = 0, drainTicks = 0;
            for (long done = 0; done < count; done += Block)
            {
                for (var i = 0; i < Block; i++)
                {
                    slots[i] = feed[(int)(position++ & mask)];
                }

                var start = Stopwatch.GetTimestamp();
                var first = ringSequence;
                Drive(sequencer, slots, first, batch);
                var middle = Stopwatch.GetTimestamp();
                Drive(fanOut, slots, first, batch);

                var end = Stopwatch.GetTimestamp();
                ringSequence += Block;
                foreach (var outbox in scenario.Outboxes)
                {
                    while (outbox.Drain(sink) == DrainStatus.FrameFull)
                    {
                        writer.Reset();
                    }

                    writer.Reset();
                }

                var drained = Stopwatch.GetTimestamp();
                sequencerTicks += middle - start;
                fanOutTicks += end - middle;
                drainTicks += drained - end;
                var blockNs = 1e9 / Stopwatch.Frequency / Block;
                perBlockSequencer.Add((middle - start) * blockNs);
                perBlockFanOut.Add((end - middle) * blockNs);
                perBlockDrain.Add((drained - end) * blockNs);
            }

            var perTick = 1e9 / Stopwatch.Frequency / count;
            return (sequencerTicks * perTick, fanOutTicks * perTick, drainTicks * perTick);
        }
        }

    /// <summary>
    /// Hands <paramref name="slots"/> to a stage in ring batches of <paramref name="batch"/> the way
    /// <see cref="BatchEventProcessor{T, THandler}"/> does, lookahead calls included (far for the
    /// first 2 × distance slots and near for the first distance at each batch start, then far and
    /// near ahead of every event, never past the batch). Interface calls, as the processor makes
    /// them for a stage registered as is (and as this harness made them before lookahead).
    /// </summary>
    private static void Drive(IEventHandler<Tick> stage, Tick[] slots, long first, int batch)
    {
        if (stage is not IEventLookahead<Tick> lookahead)
        {
            throw new InvalidOperationException("The engine stages implement IEventLookahead<Tick>.");
        }

        var near = lookahead.LookaheadDistance;
        for (var start = 0; start < slots.Length; start += batch)
        {
            var last = Math.Min(slots.Length, start + batch) - 1;
            for (var i = start; i <= Math.Min(last, start + (2 * near) - 1); i++)
            {
                lookahead.PrefetchFar(in slots[i]);
            }

            for (var i = start; i <= Math.Min(last, start + near - 1); i++)
            {
                lookahead.PrefetchNear(in slots[i]);
            }

            for (var i = start; i <= last; i++)
            {
                if (i + (2 * near) <= last)
                {
                    lookahead.PrefetchFar(in slots[i + (2 * near)]);
                }

                if (i + near <= last)
                {
                    lookahead.PrefetchNear(in slots[i + near]);
                }

                stage.OnEvent(ref slots[i], first + i, i == last);
            }
        }
    }

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[(int)Math.Min(sorted.Length - 1, fraction * sorted.Length)];
    }
}
