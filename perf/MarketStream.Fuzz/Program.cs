using System.Diagnostics;
using System.Globalization;
using MarketStream.Fuzz;
using MarketStream.Model;

// MarketStream fuzz harness (perf/README.md, Fuzzing). Commands:
//   mutate <target|all> [--iterations N] [--seed S]   built-in mutation driver over the seed corpus
//   afl <target>                                      one AFL++ run (stdin), after `instrument`
//   instrument                                        instruments the decoder assemblies for AFL++ (SharpFuzz)
//   targets                                           lists the targets
//   binary-seed <in.csv> <out.mstk>                   writes a binary capture seed from a CSV seed
var command = args.Length > 0 ? args[0] : "mutate";
var corpusRoot = Path.Combine(AppContext.BaseDirectory, "corpus");
switch (command)
{
    case "targets":
        Console.WriteLine(string.Join(Environment.NewLine, FuzzTargets.All.Keys));
        return 0;

    case "instrument":
        foreach (var name in new[] { "MarketStream.Model.dll", "MarketStream.Protocol.dll", "MarketStream.Feeds.dll", "MessagePack.dll" })
        {
            SharpFuzz.Fuzzer.Instrument(Path.Combine(AppContext.BaseDirectory, name), static _ => true, SharpFuzz.Options.Value);
            Console.WriteLine($"instrumented {name}");
        }

        return 0;

    case "binary-seed":
    {
        var universe = MarketStream.Feeds.Symbols.UniverseLoader.LoadEmbedded();
        using var reader = new MarketStream.Feeds.Replay.CsvTickReader(File.OpenRead(args[1]), universe, args[1]);
        using var writer = new MarketStream.Feeds.Replay.BinaryTickWriter(File.Create(args[2]), universe);
        var tick = default(MarketStream.Model.Tick);
        while (reader.Read(ref tick, out _) != MarketStream.Feeds.Replay.TickReadStatus.End)
        {
            writer.Write(tick);
        }

        writer.Complete();
        return 0;
    }

    case "afl":
    {
        var target = Target(args.Length > 1 ? args[1] : throw new ArgumentException("afl <target>"));
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }

    case "mutate":
    {
        var which = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : "all";
        var iterations = Option("--iterations", 100_000);
        var seed = Option("--seed", 1);
        var failed = 0;
        foreach (var name in which == "all" ? FuzzTargets.All.Keys : [which])
        {
            failed += MutationDriver.Run(name, Target(name), Path.Combine(corpusRoot, name), iterations, seed) ? 0 : 1;
        }

        return failed == 0 ? 0 : 1;
    }

    default:
        Console.Error.WriteLine($"unknown command '{command}'; use mutate, afl, instrument or targets");
        return 2;
}

Action<byte[]> Target(string name) =>
    FuzzTargets.All.TryGetValue(name, out var target) ? target : throw new ArgumentException($"unknown target '{name}'; targets: {string.Join(", ", FuzzTargets.All.Keys)}");

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>
/// Runs a target over mutations of its seed corpus. A finding is an exception other than the documented
/// refusal, one input taking longer than <see cref="HangLimit"/>, or allocation out of proportion to the
/// input (<see cref="AllocationLimit"/>); each is saved under findings/ with the seed that reproduces it.
/// </summary>
internal static class MutationDriver
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(2);

    /// <summary>Fixed allowance plus 64 bytes per input byte: decoding may build strings and arrays from the input, never from a header's claim.</summary>
    private static long AllocationLimit(int length) => 256 * 1024 + 64L * length;

    public static bool Run(string name, Action<byte[]> target, string corpusDir, int iterations, int seed)
    {
        var corpus = Directory.GetFiles(corpusDir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        if (corpus.Count == 0)
        {
            throw new InvalidOperationException($"no seeds in {corpusDir}");
        }

        var mutator = new Mutator(seed);
        var random = new Random(seed);
        var findings = 0;
        long maxAllocated = 0;
        var slowest = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var input = i < corpus.Count ? corpus[i] : mutator.Mutate(corpus[random.Next(corpus.Count)], corpus);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            string? problem = null;
            try
            {
                target(input);
            }
#pragma warning disable CA1031 // Every exception is a finding to report, not to crash the driver.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                problem = ex.ToString();
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            maxAllocated = Math.Max(maxAllocated, allocated);
            slowest = elapsed > slowest ? elapsed : slowest;
            problem ??= elapsed > HangLimit ? $"took {elapsed.TotalMilliseconds:F0} ms"
                : allocated > AllocationLimit(input.Length) ? $"allocated {allocated} bytes for a {input.Length}-byte input" : null;
            if (problem is not null)
            {
                findings++;
                Directory.CreateDirectory("findings");
                var file = Path.Combine("findings", $"{name}-seed{seed}-iter{i}.bin");
                File.WriteAllBytes(file, input);
                Console.WriteLine($"FINDING {name} iteration {i}: {problem.Split('\n')[0]} (input saved to {file})");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-13} {iterations,10:N0} inputs from {corpus.Count} seeds (seed {seed}) in {clock.Elapsed.TotalSeconds,6:F1} s: {findings} findings; max allocation {maxAllocated:N0} B, slowest input {slowest.TotalMilliseconds:F1} ms"));
        return findings == 0;
    }
}
