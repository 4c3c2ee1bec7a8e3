using System.Diagnostics;
using System.Globalization;
using MarketStream.LoadTest.Clients;
using MarketStream.LoadTest.Framework;
using MarketStream.LoadTest.Measurement;
using MarketStream.LoadTest.Targets;

namespace MarketStream.LoadTest.Scenarios;

/// <summary>
/// A fraction of the clients stall (stop reading) or read slowly for S seconds. One run per target,
/// in three phases on the same connections: <c>baseline</c> (nobody stalls), <c>stall</c>, and
/// <c>recovery</c>. Reports the fast clients' p99 during the stall ÷ during the baseline, the server's
/// memory growth per stalled client, and checks latest-value delivery: once the stall ends, every
/// stalled client must reach, for every symbol it subscribed, at least the newest sequence any fast
/// client had seen when the stall ended (conflation may fold the ones in between, never drop the latest).
/// </summary>
internal sealed class SlowConsumersScenario : SubscriberScenario
{
    private double _fraction;
    private TimeSpan _stall;
    private TimeSpan _baseline;
    private TimeSpan _recovery;
    private StallMode _mode;
    private TimeSpan _slowDelay;
    private int _stalledSymbols;
    private int _stalledReceiveBuffer;
    private int _sourceAddresses;

    public override string Name => "slow-consumers";

    public override string Description => "A fraction of clients stall or read slowly for S seconds: fast clients' p99 vs the no-stall phase, server memory per stalled client, latest-value delivery after the stall.";

    public override string Usage => LoadUsage(200, 50, 2000, 3) + """
          --stall-fraction F   share of clients that stall (default 0.1)
          --stall S            stall length in seconds (default 20)
          --stall-mode M       stop (stop reading) or slow (sleep per message) (default stop)
          --slow-delay-ms D    a slow reader's sleep per message (default 100)
          --baseline S         measured no-stall seconds before the stall (default 15)
          --recovery S         longest wait for stalled clients to catch up (default 10)
          --stalled-symbols K  symbols per stalled client (default: --symbols; 104 or more = every symbol)
          --stalled-rcvbuf B   SO_RCVBUF of stalled clients' sockets, set before connecting (default 0 = as the
                               others): with a small one a stopped client truly stops taking bytes, so the
                               server's socket fills (e.g. 4096)
        """;

    private int StalledCount => Math.Max(1, (int)Math.Round(Clients * _fraction));

    private bool IsStalled(int client) => (long)client * StalledCount % Clients < StalledCount;

    public override void Configure(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var line = ctx.Line;
        _fraction = line.Double("stall-fraction", 0.1, 0.001, 0.9);
        _stall = line.Seconds("stall", 20, 1, 600);
        _baseline = line.Seconds("baseline", 15, 1, 600);
        _recovery = line.Seconds("recovery", 10, 1, 600);
        _mode = line.String("stall-mode", "stop") switch
        {
            "stop" => StallMode.Stop,
            "slow" => StallMode.Slow,
            var m => throw new FormatException($"--stall-mode must be stop or slow, got '{m}'"),
        };
        _slowDelay = TimeSpan.FromMilliseconds(line.Double("slow-delay-ms", 100, 1, 10_000));
        _stalledSymbols = line.Int("stalled-symbols", 0, 0, 10_000);
        _stalledReceiveBuffer = line.Int("stalled-rcvbuf", 0, 0, 64 * 1024 * 1024);
        _sourceAddresses = ctx.SourceAddresses;
        ConfigureLoad(ctx, 200, 50, 2000, 3, () => _baseline + _stall);
    }

    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings() =>
    [
        new("stalled_clients", StalledCount.ToString(CultureInfo.InvariantCulture)),
        new("stall_mode", _mode == StallMode.Stop ? "stop reading" : $"slow ({_slowDelay.TotalMilliseconds} ms per message)"),
        new("stall_seconds", _stall.TotalSeconds.ToString(CultureInfo.InvariantCulture)),
        new("stalled_symbols", _stalledSymbols == 0 ? "as --symbols" : _stalledSymbols.ToString(CultureInfo.InvariantCulture)),
        new("stalled_rcvbuf", _stalledReceiveBuffer == 0 ? "as the other clients" : _stalledReceiveBuffer.ToString(CultureInfo.InvariantCulture)),
        new("server_timeouts", "keep-alive/client timeout and MarketStream SlowConsumerCloseLag = stall + 60 s, so stalled clients are kept for the measurement"),
    ];

    public override async Task RunAsync(RunContext ctx, ScenarioResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(result);
        var stalledCount = StalledCount;
        var keep = _stall + TimeSpan.FromSeconds(60);
        foreach (var kind in ctx.Targets)
        {
            using var stalledConnector = _stalledReceiveBuffer > 0 ? new LoopbackConnector(_sourceAddresses, _stalledReceiveBuffer) : null;
            var stall = new StallControl(_mode, _slowDelay, stalledConnector);
            var stalledLatency = new LatencyRecorder();
            var settings = new TargetSettings(Rate, keep, [$"--MarketStream:Gateway:SlowConsumerCloseLag={keep:c}"], ServerGc);
            var (run, failures) = await StartSubscribedAsync(ctx, kind, settings, (r, i) => IsStalled(i) ? (stalledLatency, stall) : (r.Stats.Latency, null), ct).ConfigureAwait(false);
            await using var runScope = run.ConfigureAwait(false);

            run.Stats.BeginMeasurement();
            var before = run.Stats.Totals();
            await run.RunPhaseAsync("baseline", _baseline, ct).ConfigureAwait(false);
            var baselineLatency = run.Stats.TakeTotal();
            var atStall = run.Stats.Totals();
            var rssBefore = run.Stats.ServerRssBytes();
            var kernelBefore = KernelSocketSampler.Sample(run.BaseUri.Port);

            stall.Begin();
            await run.RunPhaseAsync("stall", _stall, ct).ConfigureAwait(false);
            var stallLatency = run.Stats.TakeTotal();
            var afterStall = run.Stats.Totals();
            var rssStalled = run.Stats.ServerRssBytes();
            var kernelStalled = KernelSocketSampler.Sample(run.BaseUri.Port);

            // The newest sequence any fast client holds per symbol, taken before the stalled clients resume.
            var newest = new long[run.Symbols.Count];
            for (var c = 0; c < Clients; c++)
            {
                if (!IsStalled(c) && run.ClientAt(c) is { } fast)
                {
                    var seqs = fast.LastSeq;
                    for (var s = 0; s < newest.Length; s++)
                    {
                        newest[s] = Math.Max(newest[s], Volatile.Read(ref seqs[s]));
                    }
                }
            }

            stall.End();
            var (caughtUp, catchUp, lagging) = await WaitForLatestAsync(run, IsStalled, newest, ct).ConfigureAwait(false);

            var r = new RunResult { Label = run.Label, Target = kind.ToString() };
            var baselineSeconds = _baseline.TotalSeconds;
            r.Add("clients", run.Stats.ConnectedClients);
            r.Add("clients_missing", run.ClientsMissing);
            r.Add("stalled_clients", stalledCount);
            r.Add("updates_per_sec", (atStall - before).Updates / baselineSeconds);
            r.Add("stall_updates_per_sec", (afterStall - atStall).Updates / _stall.TotalSeconds);
            r.Add("merged_ratio", (afterStall - before).MergedRatio);
            TargetRun.AddLatency(r, "baseline_fast_", baselineLatency);
            TargetRun.AddLatency(r, "stall_fast_", stallLatency);
            TargetRun.AddLatency(r, "", stallLatency);
            var ratio = baselineLatency.TotalCount > 0 && stallLatency.TotalCount > 0
                ? stallLatency.GetValueAtPercentile(99) / (double)baselineLatency.GetValueAtPercentile(99)
                : double.NaN;
            r.Add("fast_p99_ratio", ratio);
            if (run.Stats.Server is not null)
            {
                r.Add("server_rss_before_stall_mb", rssBefore / 1048576.0);
                r.Add("server_rss_stalled_mb", rssStalled / 1048576.0);
                r.Add("server_rss_growth_per_stalled_kb", (rssStalled - rssBefore) / 1024.0 / stalledCount);
            }

            if (kernelBefore is { } kb && kernelStalled is { } ks)
            {
                // Kernel socket memory is not in RSS: a stalled client's unsent bytes can sit in its socket instead.
                var kernelPerStalled = (ks.Bytes - kb.Bytes) / 1024.0 / stalledCount;
                r.Add("server_kernel_socket_mb_before_stall", kb.Bytes / 1048576.0);
                r.Add("server_kernel_socket_mb_stalled", ks.Bytes / 1048576.0);
                r.Add("server_kernel_growth_per_stalled_kb", kernelPerStalled);
                if (run.Stats.Server is not null)
                {
                    r.Add("server_memory_per_stalled_kb", ((rssStalled - rssBefore) / 1024.0 / stalledCount) + kernelPerStalled);
                }
            }

            r.Add("stalled_caught_up", caughtUp);
            r.Add("catch_up_ms", catchUp.TotalMilliseconds);
            r.Add("connect_failures", failures);
            r.Add("errors", run.Stats.Totals().Errors);
            run.AddServerFigures(r);
            r.Checks.Add(new CheckResult(
                "latest_value_after_stall",
                caughtUp == stalledCount,
                caughtUp == stalledCount
                    ? $"all {stalledCount} stalled clients reached every subscribed symbol's newest sequence (as of the stall's end) {catchUp.TotalMilliseconds:0} ms after resuming"
                    : $"{stalledCount - caughtUp} of {stalledCount} stalled clients still lacked the latest value after {_recovery.TotalSeconds:0} s ({lagging})"));
            r.Intervals.AddRange(run.Stats.Rows);
            result.Runs.Add(r);
        }

        Compare(result, "updates_per_sec", "stall_fast_p99_ms", "fast_p99_ratio");
    }

    protected override IReadOnlyList<string> SymbolsOf(TargetRun run, int client) =>
        _stalledSymbols > 0 && IsStalled(client) ? run.Symbols.ForClient(client, _stalledSymbols) : base.SymbolsOf(run, client);

    private async Task<(int CaughtUp, TimeSpan Elapsed, string Lagging)> WaitForLatestAsync(TargetRun run, Func<int, bool> isStalled, long[] newest, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var stalled = new List<int>();
        for (var c = 0; c < Clients; c++)
        {
            if (isStalled(c))
            {
                stalled.Add(c);
            }
        }

        var lagging = "";
        while (true)
        {
            var caughtUp = 0;
            lagging = "";
            foreach (var c in stalled)
            {
                var missing = run.ClientAt(c) is { } client ? FirstMissing(run, client, c, newest) : "never connected";
                if (missing is null)
                {
                    caughtUp++;
                }
                else if (lagging.Length == 0)
                {
                    lagging = $"e.g. client {c}: {missing}";
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (caughtUp == stalled.Count || elapsed >= _recovery)
            {
                run.Stats.Sample("recovery");
                return (caughtUp, elapsed, lagging);
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    private string? FirstMissing(TargetRun run, ILoadClient client, int index, long[] newest)
    {
        foreach (var name in SymbolsOf(run, index))
        {
            var s = run.Symbols.IndexOf(name);
            var have = Volatile.Read(ref client.LastSeq[s]);
            if (have < newest[s])
            {
                return $"{name} at seq {have}, newest was {newest[s]}";
            }
        }

        return null;
    }
}
