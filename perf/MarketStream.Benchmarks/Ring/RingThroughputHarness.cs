using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MarketStream.Core.Ring;

namespace MarketStream.Benchmarks.Ring;

/// <summary>
/// Throughput runs of the ring against bounded channels in the same process (not BenchmarkDotNet:
/// multi-threaded pipelines need whole-run timing, as Disruptor's PerfTests do). Each round runs
/// every scenario ring-then-channel; the table reports medians with min–max over the rounds.
/// <c>dotnet run -c Release --project perf/MarketStream.Benchmarks -- ring-throughput [--runs 10] [--events 20000000] [--scenario 1p1c|1p1c-yielding|3p1c|pipeline] [--wait busyspin|yielding|sleeping|blocking]</c>
/// </summary>
internal static class RingThroughputHarness
{
    private const int DefaultRuns = 10;
    private const long DefaultEvents = 20_000_000;

    private static readonly Scenario[] Scenarios =
    [
        new("1p1c", "1P → 1C", "busy-spin", RingScenarios.OneToOne, ChannelScenarios.OneToOne),
        new("1p1c-yielding", "1P → 1C", "yielding", RingScenarios.OneToOne, ChannelScenarios.OneToOne),
        new("3p1c", "3P → 1C", "yielding", RingScenarios.ThreeToOne, ChannelScenarios.ThreeToOne),
        new("pipeline", "1P → A → B", "yielding", RingScenarios.Pipeline, ChannelScenarios.Pipeline),
    ];

    public static int Run(string[] args)
    {
        var runs = DefaultRuns;
        var events = DefaultEvents;
        string? only = null;
        string? waitOverride = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--events" when i + 1 < args.Length:
                    events = long.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--scenario" when i + 1 < args.Length:
                    only = args[++i];
                    break;
                case "--wait" when i + 1 < args.Length:
                    waitOverride = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'. Usage: ring-throughput [--runs N] [--events N] [--scenario 1p1c|1p1c-yielding|3p1c|pipeline] [--wait busyspin|yielding|sleeping|blocking]");
                    return 2;
            }
        }

        if (runs < 1 || events < 3)
        {
            Console.Error.WriteLine("--runs must be at least 1 and --events at least 3.");
            return 2;
        }

        var selected = new List<Scenario>();
        foreach (var scenario in Scenarios)
        {
            if (only is null || scenario.Key == only)
            {
                selected.Add(waitOverride is null ? scenario : scenario with { Wait = waitOverride });
            }
        }

        if (selected.Count == 0)
        {
            Console.Error.WriteLine($"Unknown scenario '{only}'.");
            return 2;
        }

        Console.WriteLine($"ring-throughput: {runs} runs x {events:N0} events, ring size {RingScenarios.BufferSize}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine("warm-up round (not counted)...");
        foreach (var scenario in selected)
        {
            scenario.RunRing(Math.Max(3, events / 10), CreateWaitStrategy(scenario.Wait));
            scenario.RunChannel(Math.Max(3, events / 10));
        }

        var ringResults = new List<RoundResult>[selected.Count];
        var channelResults = new List<RoundResult>[selected.Count];
        for (var s = 0; s < selected.Count; s++)
        {
            ringResults[s] = [];
            channelResults[s] = [];
        }

        for (var round = 1; round <= runs; round++)
        {
            for (var s = 0; s < selected.Count; s++)
            {
                var scenario = selected[s];
                Collect();
                var ring = scenario.RunRing(events, CreateWaitStrategy(scenario.Wait));
                Collect();
                var channel = scenario.RunChannel(events);
                ringResults[s].Add(ring);
                channelResults[s].Add(channel);
                Console.WriteLine(
                    $"run {round,2} {scenario.Title,-12} ring {Millions(ring.EventsPerSecond),8}/s (batch {ring.AverageBatch,8:F1}, {ring.AllocatedBytesPerEvent:F4} B/event)   channel {Millions(channel.EventsPerSecond),8}/s (batch {channel.AverageBatch,8:F1})");
            }
        }

        Console.WriteLine();
        Console.WriteLine(FormatTable(selected, ringResults, channelResults, runs, events));
        return 0;
    }

    private static string FormatTable(List<Scenario> scenarios, List<RoundResult>[] ring, List<RoundResult>[] channel, int runs, long events)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{runs} runs × {events:N0} events; ring size {RingScenarios.BufferSize}; events/s as median (min–max).");
        text.AppendLine();
        text.AppendLine("| scenario | ring wait strategy | ring events/s | ring avg batch | ring B/event | bounded Channel events/s | channel avg batch | ring / channel (medians) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        for (var s = 0; s < scenarios.Count; s++)
        {
            var ringRate = Median(ring[s], r => r.EventsPerSecond);
            var channelRate = Median(channel[s], r => r.EventsPerSecond);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {scenarios[s].Title} | {scenarios[s].Wait} | {Millions(ringRate)} ({Millions(Min(ring[s]))}–{Millions(Max(ring[s]))}) | {Median(ring[s], r => r.AverageBatch):F0} | {Max(ring[s], r => r.AllocatedBytesPerEvent):F4} | {Millions(channelRate)} ({Millions(Min(channel[s]))}–{Millions(Max(channel[s]))}) | {Median(channel[s], r => r.AverageBatch):F0} | {ringRate / channelRate:F1}× |");
        }

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

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Median(List<RoundResult> results, Func<RoundResult, double> selector)
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

    private static double Min(List<RoundResult> results)
    {
        var min = double.MaxValue;
        foreach (var result in results)
        {
            min = Math.Min(min, result.EventsPerSecond);
        }

        return min;
    }

    private static double Max(List<RoundResult> results) => Max(results, r => r.EventsPerSecond);

    private static double Max(List<RoundResult> results, Func<RoundResult, double> selector)
    {
        var max = double.MinValue;
        foreach (var result in results)
        {
            max = Math.Max(max, selector(result));
        }

        return max;
    }

    private static string Millions(double perSecond) => (perSecond / 1e6).ToString("F1", CultureInfo.InvariantCulture) + "M";

    private sealed record Scenario(
        string Key,
        string Title,
        string Wait,
        Func<long, IWaitStrategy, RoundResult> RunRing,
        Func<long, RoundResult> RunChannel);
}
