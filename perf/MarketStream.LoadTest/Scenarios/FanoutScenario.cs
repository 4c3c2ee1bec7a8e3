using MarketStream.LoadTest.Framework;
using MarketStream.LoadTest.Targets;

namespace MarketStream.LoadTest.Scenarios;

/// <summary>
/// N clients × K symbols each, synthetic feed at R ticks/s: delivered updates/s, frames/s, bytes/s,
/// tick-to-client latency, merged ratio, server CPU and memory. With <c>--target both</c> the SignalR
/// baseline runs next with the same clients, symbols, feed rate and seed, and the ratios are reported.
/// </summary>
internal sealed class FanoutScenario : SubscriberScenario
{
    private TimeSpan _duration;

    public override string Name => "fanout";

    public override string Description => "N clients × K symbols each, feed at R ticks/s: delivered updates/s, frames/s, bytes/s, tick-to-client latency, merged ratio, server CPU and memory.";

    public override string Usage => LoadUsage(1000, 50, 5000, 3) + """
          --duration S     measured seconds (default 20)
        """;

    public override void Configure(RunContext ctx) => ConfigureLoad(ctx, 1000, 50, 5000, 3, () => _duration = ctx.Line.Seconds("duration", 20, 1, 3600));

    public override async Task RunAsync(RunContext ctx, ScenarioResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(result);
        foreach (var kind in ctx.Targets)
        {
            var (run, failures) = await StartSubscribedAsync(ctx, kind, new TargetSettings(Rate, TimeSpan.FromSeconds(30), [], ServerGc), AllFast, ct).ConfigureAwait(false);
            await using (run.ConfigureAwait(false))
            {
                run.Stats.BeginMeasurement();
                await run.RunPhaseAsync("measure", _duration, ct).ConfigureAwait(false);
                var r = new RunResult { Label = run.Label, Target = kind.ToString() };
                run.Report(r, run.Stats.Total, run.Stats.MeasuredTotals(), run.Stats.MeasuredSeconds);
                r.Add("connect_failures", failures);
                r.Intervals.AddRange(run.Stats.Rows);
                result.Runs.Add(r);
            }
        }

        Compare(result, "updates_per_sec", "ticks_covered_per_sec", "p99_ms", "server_cpu_pct", "server_rss_mb");
    }
}
