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
internal sealed class SoakScenario : SubscriberScenario
{
    private TimeSpan _duration;
    private TimeSpan _interval;

    public override string Name => "soak";

    public override string Description => "Fixed load for a given time: memory and latency trend over time (per-interval rows).";

    public override string Usage => LoadUsage(200, 20, 2000, 5) + """
          --duration S     measured seconds (default 120)
          --interval S     seconds per report row (default 10)
        """;

    public override void Configure(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ConfigureLoad(ctx, 200, 20, 2000, 5, () => _duration = ctx.Line.Seconds("duration", 120, 1, 86_400));
        _interval = ctx.Line.Seconds("interval", 10, 1, 3600);
    }

    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings() => [new("interval_seconds", _interval.TotalSeconds.ToString(CultureInfo.InvariantCulture))];

    public override async Task RunAsync(RunContext ctx, ScenarioResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(result);
        foreach (var kind in ctx.Targets)
        {
            var (run, failures) = await StartSubscribedAsync(ctx, kind, new TargetSettings(Rate, TimeSpan.FromSeconds(30), [], ServerGc), AllFast, ct).ConfigureAwait(false);
            await using var runScope = run.ConfigureAwait(false);
            run.Stats.BeginMeasurement();
            var overall = LatencyRecorder.NewHistogram();
            var soakRows = new List<IntervalRow>();
            var intervals = Math.Max(1, (int)Math.Round(_duration / _interval));
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
