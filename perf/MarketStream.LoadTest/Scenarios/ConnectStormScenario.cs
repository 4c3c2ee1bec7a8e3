using System.Diagnostics;
using System.Globalization;
using MarketStream.LoadTest.Framework;
using MarketStream.LoadTest.Targets;
using MarketStream.Protocol;

namespace MarketStream.LoadTest.Scenarios;

/// <summary>
/// Opens C connections as fast as allowed (from several 127.0.0.x source addresses), holds them idle
/// (each read its Welcome and keeps one read pending, as a real client does), and reports connections/s
/// and the server's resident-memory growth per connection. Needs C + ~200 file descriptors in this
/// process and in the server's: it checks RLIMIT_NOFILE first and explains the limit when it is too low.
/// </summary>
internal sealed class ConnectStormScenario : Scenario
{
    private int _connections;
    private int _perAddressLimit;
    private TimeSpan _settle;
    private bool _serverGc;
    private int _sources;
    private LoadSimulation _simulation = null!;

    public override string Name => "connect-storm";

    public override string Description => "Open C connections as fast as allowed, hold them idle: connections/s, server memory per connection.";

    public override string Usage => """
          --connections C        connections (default 10000; needs C + 200 open files: see `ulimit -n`)
          --parallel P           connects in flight (default 64)
          --inject-rate N        connections per second (default 0 = as fast as --parallel allows)
          --hold S               seconds to hold them idle before measuring memory (default 10)
          --settle S             seconds before connecting, for the server's baseline memory (default 3)
          --per-address-limit L  server MaxConnectionsPerAddress for the run (default: connections ÷ sources + 100)
          --sources A            127.0.0.1 … 127.0.0.A source addresses (common option, default 4)
        """;

    public override LoadSimulation Simulation => _simulation;

    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["connections"] = _connections.ToString(CultureInfo.InvariantCulture),
        ["source_addresses"] = _sources.ToString(CultureInfo.InvariantCulture),
        ["server_max_connections_per_address"] = _perAddressLimit.ToString(CultureInfo.InvariantCulture),
        ["open_files_limit"] = OpenFilesLimit().ToString(CultureInfo.InvariantCulture),
        ["server_gc"] = _serverGc ? "server" : "workstation (the server's shipped default)",
    };

    public override IReadOnlyList<Threshold> DefaultThresholds => [Threshold.Parse("connect_failures==0"), Threshold.Parse("disconnected==0")];

    public override void Configure(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var line = ctx.Line;
        _connections = line.Int("connections", 10_000, 1, 1_000_000);
        _sources = ctx.SourceAddresses;
        _perAddressLimit = line.Int("per-address-limit", (_connections / _sources) + 100, 1, 10_000_000);
        _settle = line.Seconds("settle", 3, 0, 60);
        _serverGc = ctx.ServerGcChoice ?? false; // memory per connection is measured with the server's own default GC
        _simulation = new LoadSimulation(_connections, line.Double("inject-rate", 0, 0, 1_000_000), line.Int("parallel", 64, 1, 4096), TimeSpan.Zero, line.Seconds("hold", 10, 1, 600));
        var limit = OpenFilesLimit();
        if (_connections + 200 > limit)
        {
            throw new FormatException(
                $"--connections {_connections} needs about {_connections + 200} open files in this process and in the server, but RLIMIT_NOFILE is {limit}. " +
                "Raise it (`ulimit -n <n>` in the shell that runs this, up to the hard limit `ulimit -Hn`; in a container the hard limit is the runtime's) or use fewer connections.");
        }
    }

    public override async Task RunAsync(RunContext ctx, ScenarioResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(result);
        foreach (var kind in ctx.Targets)
        {
            var settings = new TargetSettings(1000, TimeSpan.FromSeconds(30),
            [
                string.Create(CultureInfo.InvariantCulture, $"--MarketStream:Gateway:MaxConnections={Math.Max(200_000, _connections + 1000)}"),
                string.Create(CultureInfo.InvariantCulture, $"--MarketStream:Gateway:MaxConnectionsPerAddress={_perAddressLimit}"),
            ], _serverGc);
            await using var run = await TargetRun.StartAsync(ctx, kind, settings, ct).ConfigureAwait(false);
            await run.RunPhaseAsync("settle", _settle, ct).ConfigureAwait(false);
            var rssBefore = run.Stats.ServerRssBytes();
            run.Stats.BeginMeasurement();
            var started = Stopwatch.GetTimestamp();
            var failures = await run.ConnectAsync(_simulation, _ => (null, null), _ => null, SubscriptionMode.Conflated, ct).ConfigureAwait(false);
            var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var connected = run.Stats.ConnectedClients;
            await run.RunPhaseAsync("hold", _simulation.Hold, ct).ConfigureAwait(false);
            var rssHeld = run.Stats.ServerRssBytes();
            var stillOpen = run.Stats.ConnectedClients;

            var r = new RunResult { Label = run.Label, Target = kind.ToString() };
            r.Add("connections", connected);
            r.Add("connect_failures", failures);
            r.Add("connect_seconds", connectSeconds);
            r.Add("connections_per_sec", connected / Math.Max(connectSeconds, 1e-6));
            r.Add("held_after_hold", stillOpen);
            if (run.Stats.Server is not null)
            {
                r.Add("server_rss_before_mb", rssBefore / 1048576.0);
                r.Add("server_rss_held_mb", rssHeld / 1048576.0);
                r.Add("server_bytes_per_connection", connected == 0 ? double.NaN : (rssHeld - rssBefore) / (double)connected);
                r.Add("server_kb_per_connection", connected == 0 ? double.NaN : (rssHeld - rssBefore) / 1024.0 / connected);
            }

            run.AddServerFigures(r);
            r.Intervals.AddRange(run.Stats.Rows);
            if (stillOpen < connected)
            {
                r.Notes.Add($"{connected - stillOpen} connections closed during the hold");
            }

            result.Runs.Add(r);
        }

        Compare(result, "connections_per_sec", "server_kb_per_connection");
    }

    /// <summary>This process's soft RLIMIT_NOFILE, from /proc/self/limits.</summary>
    public static long OpenFilesLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return parts[0] == "unlimited" ? long.MaxValue : long.Parse(parts[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return long.MaxValue;
    }
}
