using System.Globalization;
using MarketStream.LoadTest.Clients;
using MarketStream.LoadTest.Framework;
using MarketStream.LoadTest.Measurement;
using MarketStream.LoadTest.Targets;
using MarketStream.Protocol;

namespace MarketStream.LoadTest.Scenarios;

/// <summary>
/// What <c>fanout</c>, <c>slow-consumers</c> and <c>soak</c> share: N clients × K symbols on a feed at R
/// ticks/s, injected by the load simulation, then a warm-up; the options, settings and defaults that go with it.
/// </summary>
internal abstract class SubscriberScenario : Scenario
{
    private LoadSimulation _simulation = null!;

    protected int Clients { get; private set; }

    protected int SymbolsPerClient { get; private set; }

    protected double Rate { get; private set; }

    protected bool ServerGc { get; private set; }

    /// <summary>How MarketStream clients subscribe: conflated (the default) or full (every update, as SignalR sends).</summary>
    protected SubscriptionMode Mode { get; private set; }

    /// <summary>How long a started server holds back its feed, so every client is in before the load begins.</summary>
    protected TimeSpan FeedDelay { get; private set; }

    public override LoadSimulation Simulation => _simulation;

    public override IReadOnlyList<Threshold> DefaultThresholds => [Threshold.Parse("updates_per_sec>0"), Threshold.Parse("connect_failures==0"), Threshold.Parse("disconnected==0"), Threshold.Parse("clients_missing==0")];

    public override IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>
            {
                ["clients"] = Clients.ToString(CultureInfo.InvariantCulture),
                ["symbols_per_client"] = SymbolsPerClient.ToString(CultureInfo.InvariantCulture),
                ["feed_rate_ticks_per_sec"] = Rate.ToString(CultureInfo.InvariantCulture),
                ["server_gc"] = ServerGc ? "server" : "workstation",
                ["subscription_mode"] = Mode == SubscriptionMode.Full ? "full" : "conflated",
                ["feed_delay_s"] = FeedDelay.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (k, v) in MoreSettings())
            {
                settings[k] = v;
            }

            return settings;
        }
    }

    /// <summary>Usage lines of the shared options, with this scenario's defaults.</summary>
    protected static string LoadUsage(int clients, int symbols, double rate, double warmup) => string.Create(CultureInfo.InvariantCulture, $"""
          --clients N      clients (default {clients})
          --symbols K      symbols per client (default {symbols}; the universe has 104)
          --rate R         synthetic feed ticks/s (default {rate})
          --warmup S       unmeasured seconds after the last client subscribed (default {warmup})
          --inject-rate N  clients connected per second (default 500; 0 = as fast as --parallel allows)
          --parallel P     connects in flight (default 32)
          --mode M         MarketStream subscriptions: conflated or full (every update, the
                           server's overflow policy applies when a client falls behind) (default conflated)
          --feed-delay S   a started server holds back its feed this long, so every client is connected
                           and subscribed before the load begins (default 5 + 2 × clients ÷ inject rate, 250/s when 0;
                           0 = feed from the server's start, clients connect under load)

        """);

    /// <summary>Reads the shared options; <paramref name="hold"/> is the scenario's measured time.</summary>
    protected void ConfigureLoad(RunContext ctx, int clients, int symbols, double rate, double warmup, Func<TimeSpan> hold)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(hold);
        var line = ctx.Line;
        Clients = line.Int("clients", clients, 1, 100_000);
        SymbolsPerClient = line.Int("symbols", symbols, 1, 10_000);
        Rate = line.Double("rate", rate, 1, 10_000_000);
        ServerGc = ctx.ServerGcChoice ?? true;
        var inject = line.Double("inject-rate", 500, 0, 100_000);
        var parallel = line.Int("parallel", 32, 1, 1024);
        var warm = line.Seconds("warmup", warmup, 0, 600);
        Mode = line.String("mode", "conflated") switch
        {
            "conflated" => SubscriptionMode.Conflated,
            "full" => SubscriptionMode.Full,
            var m => throw new FormatException($"--mode must be conflated or full, got '{m}'"),
        };

        // Connecting is not what these scenarios measure: a server saturated by its feed may not take
        // new connections at all (the SignalR baseline stalled at ~330 of 1,000 clients at 5,000 ticks/s).
        // Twice the planned injection time plus start-up; "as fast as allowed" (--inject-rate 0) is taken as
        // 250 connects/s, about what one core manages for the SignalR client's handshake here.
        var autoDelay = 5 + (2.0 * Clients / Math.Max(inject > 0 ? inject : 250, 1));
        FeedDelay = line.Seconds("feed-delay", Math.Min(Math.Ceiling(autoDelay), 600), 0, 600);
        _simulation = new LoadSimulation(Clients, inject, parallel, warm, hold());
    }

    protected virtual IEnumerable<KeyValuePair<string, string>> MoreSettings() => [];

    /// <summary>Starts the target, injects every client (subscribed to its symbols), and runs the warm-up.</summary>
    protected async Task<(TargetRun Run, int ConnectFailures)> StartSubscribedAsync(
        RunContext ctx, TargetKind kind, TargetSettings settings, Func<TargetRun, int, (LatencyRecorder? Latency, StallControl? Stall)> roleOf, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roleOf);
        var run = await TargetRun.StartAsync(ctx, kind, settings with { FeedDelay = FeedDelay }, ct).ConfigureAwait(false);
        try
        {
            var failures = await run.ConnectAsync(_simulation, i => roleOf(run, i), i => SymbolsOf(run, i), Mode, ct).ConfigureAwait(false);
            if (FeedDelay > TimeSpan.Zero && ctx.AttachUri is null)
            {
                await run.WaitForFeedAsync(FeedDelay + TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
            }

            await run.RunPhaseAsync("warmup", _simulation.Warmup, ct).ConfigureAwait(false);
            return (run, failures);
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The symbols client <paramref name="client"/> subscribes to.</summary>
    protected virtual IReadOnlyList<string> SymbolsOf(TargetRun run, int client) => run.Symbols.ForClient(client, SymbolsPerClient);

    protected static (LatencyRecorder? Latency, StallControl? Stall) AllFast(TargetRun run, int client) => (run.Stats.Latency, null);
}
