using System.Globalization;
using HdrHistogram;
using MarketStream.LoadTest.Framework;
using MarketStream.LoadTest.Measurement;
using MarketStream.LoadTest.Targets;

namespace MarketStream.LoadTest.Scenarios;

/// <summary>
/// A fixed load for a given time, reported per interval (updates/s, latency percentiles, server memory
/// and CPU), with the trend over the run: memory slope (MiB/min) and last-interval p99 ÷ first-interval p99.
/// </summary>
internal sealed class SoakScenario : Scenario
{
    private int _clients;
    private int _symbols;
    private double _rate;
    private TimeSpan _interval;
    private bool _serverGc;
    private LoadSimulation _simulation = null!;

    public override string Name => "soak";

    public override string Description => "Fixed load for a given time: memory and latency trend over time (per-interval rows).";

    public override string Usage => """
          --clients N      clients (default 200)
          --symbols K      symbols per client (default 20)
          --rate R         synthetic feed ticks/s (default 2000)
          --duration S     measured seconds (default 120)
          --interval S     seconds per report row (default 10)
          --warmup S       unmeasured seconds after connecting (default 5)
          --inject-rate N  clients connected per second (default 500)
        """;

    public override LoadSimulation Simulation => _simulation;

    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["clients"] = _clients.ToString(CultureInfo.InvariantCulture),
        ["symbols_per_client"] = _symbols.ToString(CultureInfo.InvariantCulture),
        ["feed_rate_ticks_per_sec"] = _rate.ToString(CultureInfo.InvariantCulture),
        ["interval_seconds"] = _interval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ["server_gc"] = _serverGc ? "server" : "workstation",
    };

    public override IReadOnlyList<Threshold> DefaultThresholds => [Threshold.Parse("updates_per_sec>0"), Threshold.Parse("connect_failures==0"), Threshold.Parse("disconnected==0")];

    public override void Configure(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var line = ctx.Line;
        _clients = line.Int("clients", 200, 1, 100_000);
        _symbols = line.Int("symbols", 20, 1, 10_000);
        _rate = line.Double("rate", 2000, 1, 10_000_000);
        _interval = line.Seconds("interval", 10, 1, 3600);
        _serverGc = ctx.ServerGcChoice ?? true;
        _simulation = new LoadSimulation(_clients, line.Double("inject-rate", 500, 0, 100_000), line.Int("parallel", 32, 1, 1024), line.Seconds("warmup", 5, 0, 600), line.Seconds("duration", 120, 1, 86_400));
    }

    public override async Task RunAsync(RunContext ctx, ScenarioResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(result);
        foreach (var kind in ctx.Targets)
        {
            var settings = new TargetSettings(_rate, TimeSpan.FromSeconds(30), [], _serverGc);
            await using var run = await TargetRun.StartAsync(ctx, kind, settings, ct).ConfigureAwait(false);
            var failures = await run.ConnectAsync(_simulation, _ => (run.Stats.Latency, null), i => run.Symbols.ForClient(i, _symbols), ct).ConfigureAwait(false);
            await run.RunPhaseAsync("warmup", _simulation.Warmup, ct).ConfigureAwait(false);
            run.Stats.BeginMeasurement();
            var overall = LatencyRecorder.NewHistogram();
            var soakRows = new List<IntervalRow>();
            var intervals = Math.Max(1, (int)Math.Round(_simulation.Hold / _interval));
            var previous = run.Stats.Totals();
            for (var k = 0; k < intervals; k++)
            {
                var rowsBefore = run.Stats.Rows.Count;
                await run.RunPhaseAsync("soak", _interval, ct).ConfigureAwait(false);
                var h = run.Stats.TakeTotal();
                overall.Add(h);
                var now = run.Stats.Totals();
                var d = now - previous;
                previous = now;
                var rows = run.Stats.Rows.GetRange(rowsBefore, run.Stats.Rows.Count - rowsBefore);
                var seconds = _interval.TotalSeconds;
                var last = rows.Count > 0 ? rows[^1] : null;
                soakRows.Add(new IntervalRow(
                    last?.T ?? (k + 1) * seconds, "soak", run.Stats.ConnectedClients,
                    d.Updates / seconds, d.Frames / seconds, d.Bytes / seconds, d.MergedRatio,
                    h.TotalCount == 0 ? 0 : h.GetValueAtPercentile(50) / 1e6,
                    h.TotalCount == 0 ? 0 : h.GetValueAtPercentile(99) / 1e6,
                    h.TotalCount == 0 ? 0 : h.GetMaxValue() / 1e6,
                    rows.Count == 0 ? double.NaN : rows.Average(x => x.ServerCpuPct),
                    last?.ServerRssMb ?? 0,
                    rows.Count == 0 ? double.NaN : rows.Average(x => x.LoadGenCpuPct)));
            }

            var r = new RunResult { Label = run.Label, Target = kind.ToString() };
            run.Report(r, overall, run.Stats.MeasuredTotals(), run.Stats.MeasuredSeconds);
            r.Add("connect_failures", failures);
            r.Add("server_rss_slope_mb_per_min", Slope(soakRows, x => x.ServerRssMb) * 60);
            r.Add("p99_last_vs_first", soakRows.Count > 1 && soakRows[0].P99Ms > 0 ? soakRows[^1].P99Ms / soakRows[0].P99Ms : double.NaN);
            r.Intervals.AddRange(soakRows);
            result.Runs.Add(r);
        }

        Compare(result, "updates_per_sec", "p99_ms");
    }

    /// <summary>Least-squares slope of <paramref name="y"/> over the rows' times (per second).</summary>
    private static double Slope(List<IntervalRow> rows, Func<IntervalRow, double> y)
    {
        if (rows.Count < 2)
        {
            return 0;
        }

        double mx = rows.Average(r => r.T), my = rows.Average(y), num = 0, den = 0;
        foreach (var r in rows)
        {
            num += (r.T - mx) * (y(r) - my);
            den += (r.T - mx) * (r.T - mx);
        }

        return den == 0 ? 0 : num / den;
    }
}
