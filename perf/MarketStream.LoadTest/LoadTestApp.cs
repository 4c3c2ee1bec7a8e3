using System.Globalization;
using System.Runtime.InteropServices;
using MarketStream.LoadTest.Framework;
using MarketStream.LoadTest.Reporting;
using MarketStream.LoadTest.Scenarios;
using MarketStream.LoadTest.Targets;

namespace MarketStream.LoadTest;

/// <summary>
/// The load tool's entry: parse, run one scenario, write report.md, report.html and results.json under
/// perf/results/&lt;scenario&gt;-&lt;timestamp&gt;/, check thresholds. Exit codes: 0 every threshold and check
/// passed; 1 a threshold was breached or a check failed; 2 usage error or the run could not complete.
/// </summary>
internal static class LoadTestApp
{
    /// <summary>
    /// The runtime's switch for running socket completions inline. Off by default: it makes the MarketStream clients
    /// cheaper but stalls the SignalR clients' connects (perf/notes/methodology.md, "The load generator's own
    /// cost"), so it is only for A/B runs; recorded in every report, never passed on to a server (ServerProcess).
    /// </summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public const int Passed = 0;
    public const int ThresholdBreached = 1;
    public const int RunFailed = 2;

    private const string CommonUsage = """
        Common options:
          --target T          marketstream (default), signalr, or both (the same scenario on each, ratios reported)
          --url URL           attach to a running server (loopback only) instead of starting one; --server-pid P samples its CPU/memory
          --sources A         spread client sockets over 127.0.0.1 … 127.0.0.A (default 4)
          --rcvbuf BYTES      SO_RCVBUF of client sockets (default 0 = OS default, autotuned to megabytes)
          --gc G              server or workstation GC for the started servers (default: server; connect-storm: workstation)
          --seed S            synthetic feed seed for both servers (default 42)
          --threshold EXPR    e.g. p99_ms<1, updates_per_sec>=2e6, marketstream_vs_signalr_updates_per_sec>=10 (repeatable)
          --max-seconds S     hard limit on the whole invocation (default 600)
          --out DIR           results root (default <repo>/perf/results)
          --server-dll PATH, --baseline-dll PATH   override the built servers' locations
          --quiet             no live progress
        """;

    public static Scenario[] Scenarios() => [new FanoutScenario(), new ConnectStormScenario(), new SlowConsumersScenario(), new SoakScenario()];

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            PrintHelp(output, null);
            return args.Length == 0 ? RunFailed : Passed;
        }

        Scenario scenario;
        RunContext ctx;
        List<Threshold> thresholds;
        TimeSpan maxTime;
        try
        {
            var line = CommandLine.Parse(args);
            scenario = Array.Find(Scenarios(), s => s.Name == line.Scenario) ?? throw new FormatException($"unknown scenario '{line.Scenario}'");
            if (line.Flag("help"))
            {
                PrintHelp(output, scenario);
                return Passed;
            }

            var root = line.String("out") ?? Path.Combine(ServerLocator.RepositoryRoot(), "perf", "results");
            var dir = Path.Combine(root, $"{scenario.Name}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            ctx = new RunContext(line, output, dir);
            thresholds = [.. scenario.DefaultThresholds];
            foreach (var t in line.All("threshold"))
            {
                thresholds.Add(Threshold.Parse(t));
            }

            maxTime = line.Seconds("max-seconds", 600, 1, 86_400);
            scenario.Configure(ctx);
            line.EnsureAllRead();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            await output.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return RunFailed;
        }

        var result = new ScenarioResult
        {
            Scenario = scenario.Name,
            Description = scenario.Description,
            Command = ctx.Line.Raw,
            StartedUtc = DateTimeOffset.UtcNow,
            LoadSimulation = scenario.Simulation.Describe(),
        };
        DescribeMachine(result, "load_average_start");
        foreach (var (k, v) in scenario.Settings)
        {
            result.Settings[k] = v;
        }

        result.Settings["targets"] = string.Join(", ", ctx.Targets.Select(TargetRun.LabelOf));
        result.Settings["source_addresses"] = ctx.SourceAddresses.ToString(CultureInfo.InvariantCulture);
        result.Settings["seed"] = ctx.Seed.ToString(CultureInfo.InvariantCulture);
        result.Settings["client_rcvbuf"] = ctx.ReceiveBufferBytes == 0 ? "OS default" : ctx.ReceiveBufferBytes.ToString(CultureInfo.InvariantCulture);
        ctx.Progress($"{scenario.Name}: {scenario.Simulation.Describe()}; results in {ctx.ResultsDir}");

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(maxTime);
        var exit = Passed;
        try
        {
            Directory.CreateDirectory(ctx.ResultsDir);
            await scenario.RunAsync(ctx, result, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await output.WriteLineAsync($"error: the run did not complete: {(limit.IsCancellationRequested && !ct.IsCancellationRequested ? $"--max-seconds {maxTime.TotalSeconds} reached" : ex.Message)}").ConfigureAwait(false);
            exit = RunFailed;
        }

        result.EndedUtc = DateTimeOffset.UtcNow;
        DescribeMachine(result, "load_average_end");
        var flat = result.FlatMetrics();
        foreach (var t in thresholds)
        {
            result.Thresholds.Add(t.Evaluate(flat));
        }

        var checksPassed = result.Runs.All(r => r.Checks.All(c => c.Passed));
        result.Passed = exit == Passed && checksPassed && result.Thresholds.All(t => t.Passed);
        if (exit == Passed && !result.Passed)
        {
            exit = ThresholdBreached;
        }

        Directory.CreateDirectory(ctx.ResultsDir);
        var markdown = MarkdownReport.Render(result);
        await File.WriteAllTextAsync(Path.Combine(ctx.ResultsDir, "report.md"), markdown, CancellationToken.None).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(ctx.ResultsDir, "report.html"), HtmlReport.Render(result, markdown), CancellationToken.None).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(ctx.ResultsDir, "results.json"), JsonReport.Render(result), CancellationToken.None).ConfigureAwait(false);

        await output.WriteLineAsync().ConfigureAwait(false);
        foreach (var run in result.Runs)
        {
            await output.WriteLineAsync($"{run.Label}: " + string.Join(", ", run.Metrics.Where(m => m.Key is "updates_per_sec" or "p50_ms" or "p99_ms" or "p999_ms" or "max_ms" or "merged_ratio" or "server_cpu_pct" or "server_rss_mb" or "connections_per_sec" or "server_kb_per_connection" or "fast_p99_ratio" or "server_rss_growth_per_stalled_kb" or "server_kernel_growth_per_stalled_kb" or "server_memory_per_stalled_kb" or "server_rss_slope_mb_per_min")
                .Select(m => $"{m.Key} {Format.Metric(m.Key, m.Value)}"))).ConfigureAwait(false);
            foreach (var c in run.Checks)
            {
                await output.WriteLineAsync($"  {(c.Passed ? "ok" : "FAILED")} {c.Name}: {c.Detail}").ConfigureAwait(false);
            }
        }

        foreach (var c in result.Comparisons)
        {
            await output.WriteLineAsync($"{c.Key}: {Format.Number(c.Value, "0.00")}×").ConfigureAwait(false);
        }

        foreach (var t in result.Thresholds)
        {
            await output.WriteLineAsync($"threshold {t.Threshold}: {(t.Passed ? "ok" : "BREACHED")} (actual {Format.Number(t.Actual, "0.####")})").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"{(result.Passed ? "PASSED" : "FAILED")} — report: {Path.Combine(ctx.ResultsDir, "report.html")}").ConfigureAwait(false);
        return exit;
    }

    private static void DescribeMachine(ScenarioResult result, string loadKey)
    {
        if (!result.Machine.ContainsKey("cores"))
        {
            result.Machine["load generator socket completions"] = Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1" ? "inline" : "thread pool";
            result.Machine["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
            result.Machine["os"] = RuntimeInformation.OSDescription;
            result.Machine["runtime"] = RuntimeInformation.FrameworkDescription;
            result.Machine["cpu"] = CpuModel();
        }

        try
        {
            result.Machine[loadKey] = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
        }
    }

    private static string CpuModel()
    {
        try
        {
            var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return model is null ? "unknown" : model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void PrintHelp(TextWriter output, Scenario? only)
    {
        output.WriteLine("MarketStream load tool (perf/README.md, \"Gateway load\"): dotnet run -c Release --project perf/MarketStream.LoadTest -- <scenario> [options]");
        output.WriteLine();
        foreach (var s in Scenarios())
        {
            if (only is null || only.Name == s.Name)
            {
                output.WriteLine($"{s.Name}: {s.Description}");
                output.WriteLine(s.Usage);
            }
        }

        output.WriteLine(CommonUsage);
    }
}
