using System.Globalization;
using MarketStream.LoadTest.Framework;
using MarketStream.LoadTest.Targets;

namespace MarketStream.LoadTest.Scenarios;

/// <summary>
/// N clients × K symbols each, synthetic feed at R ticks/s: delivered updates/s, frames/s, bytes/s,
/// tick-to-client latency, merged ratio, server CPU and memory. With <c>--target both</c> the SignalR
/// baseline runs next with the same clients, symbols, feed rate and seed, and the ratios are reported.
/// </summary>
internal sealed class FanoutScenario : Scenario
{
    private int _clients;
    private int _symbols;
    private double _rate;
    private bool _serverGc;
    private LoadSimulation _simulation = null!;

    public override string Name => "fanout";

    public override string Description => "N clients × K symbols each, feed at R ticks/s: delivered updates/s, frames/s, bytes/s, tick-to-client latency, merged ratio, server CPU and memory.";

    public override string Usage => """
          --clients N        clients (default 1000)
          --symbols K        symbols per client (default 50; the universe has 104)
          --rate R           synthetic feed ticks/s (default 5000)
          --duration S       measured seconds (default 20)
          --warmup S         unmeasured seconds after the last client subscribed (default 3)
          --inject-rate N    clients connected per second (default 500; 0 = as fast as --parallel allows)
          --parallel P       connects in flight (default 32)
        """;

    public override LoadSimulation Simulation => _simulation;

    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["clients"] = _clients.ToString(CultureInfo.InvariantCulture),
        ["symbols_per_client"] = _symbols.ToString(CultureInfo.InvariantCulture),
        ["feed_rate_ticks_per_sec"] = _rate.ToString(CultureInfo.InvariantCulture),
        ["server_gc"] = _serverGc ? "server" : "workstation",
    };

    public override IReadOnlyList<Threshold> DefaultThresholds => [Threshold.Parse("updates_per_sec>0"), Threshold.Parse("connect_failures==0"), Threshold.Parse("disconnected==0")];

    public override void Configure(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var line = ctx.Line;
        _clients = line.Int("clients", 1000, 1, 100_000);
        _symbols = line.Int("symbols", 50, 1, 10_000);
        _rate = line.Double("rate", 5000, 1, 10_000_000);
        _serverGc = ctx.ServerGcChoice ?? true;
        _simulation = new LoadSimulation(_clients, line.Double("inject-rate", 500, 0, 100_000), line.Int("parallel", 32, 1, 1024), line.Seconds("warmup", 3, 0, 600), line.Seconds("duration", 20, 1, 3600));
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
            await run.RunPhaseAsync("measure", _simulation.Hold, ct).ConfigureAwait(false);
            var r = new RunResult { Label = run.Label, Target = kind.ToString() };
            run.Report(r, run.Stats.Total, run.Stats.MeasuredTotals(), run.Stats.MeasuredSeconds);
            r.Add("connect_failures", failures);
            r.Intervals.AddRange(run.Stats.Rows);
            result.Runs.Add(r);
        }

        Compare(result, "updates_per_sec", "ticks_covered_per_sec", "p99_ms", "server_cpu_pct", "server_rss_mb");
    }
}
