using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using MarketStream.LoadTest.Clients;
using MarketStream.LoadTest.Measurement;
using MarketStream.LoadTest.Targets;
using MarketStream.Protocol;

namespace MarketStream.LoadTest.Framework;

/// <summary>
/// One target under load: its server process (started here, or attached with <c>--url</c>), its
/// clients, and the once-a-second sampler that prints live progress. Disposing closes every client
/// and stops the server, so a run never leaves anything behind.
/// </summary>
internal sealed class TargetRun : IAsyncDisposable
{
    private readonly RunContext _ctx;
    private readonly Dictionary<int, ILoadClient> _clients = [];
    private readonly Lock _clientsLock = new();
    private readonly ServerProcess? _server;
    private readonly TimeSpan _clientTimeout;

    private TargetRun(RunContext ctx, TargetKind kind, string label, Uri baseUri, ServerProcess? server, TimeSpan clientTimeout)
    {
        _ctx = ctx;
        Kind = kind;
        Label = label;
        BaseUri = baseUri;
        _server = server;
        _clientTimeout = clientTimeout;
        Connector = new LoopbackConnector(ctx.SourceAddresses, ctx.ReceiveBufferBytes);
        Stats = new LoadStats(server?.Pid ?? ctx.ServerPid);
    }

    public TargetKind Kind { get; }

    public string Label { get; }

    public Uri BaseUri { get; }

    public LoadStats Stats { get; }

    public LoopbackConnector Connector { get; }

    public SymbolCatalog Symbols { get; } = new();

    /// <summary>Every client created so far (connected or not), in no particular order.</summary>
    public IReadOnlyList<ILoadClient> Clients
    {
        get
        {
            lock (_clientsLock)
            {
                return [.. _clients.Values];
            }
        }
    }

    /// <summary>Client number <paramref name="index"/> of the simulation, or null if it was never created.</summary>
    public ILoadClient? ClientAt(int index)
    {
        lock (_clientsLock)
        {
            return _clients.GetValueOrDefault(index);
        }
    }

    public static string LabelOf(TargetKind kind) => kind == TargetKind.SignalR ? "signalr" : "marketstream";

    public static async Task<TargetRun> StartAsync(RunContext ctx, TargetKind kind, TargetSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(settings);
        var label = LabelOf(kind);
        if (ctx.AttachUri is { } attach)
        {
            ctx.Progress($"[{label}] attaching to {attach} (feed rate and limits are the running server's own)");
            return new TargetRun(ctx, kind, label, attach, null, settings.ClientTimeout);
        }

        var dll = ServerLocator.Dll(kind, kind == TargetKind.SignalR ? ctx.BaselineDll : ctx.ServerDll);
        var switches = settings.Switches(kind, ctx.Seed);
        ctx.Progress($"[{label}] starting dotnet {dll} {string.Join(' ', switches)} ({(settings.ServerGc ? "server" : "workstation")} GC)");
        var server = await ServerProcess.StartAsync(dll, switches, kind == TargetKind.SignalR ? "healthz" : "readyz", settings.ServerGc, Path.Combine(ctx.ResultsDir, $"server-{label}.log"), ct).ConfigureAwait(false);
        return new TargetRun(ctx, kind, label, server.BaseUri, server, settings.ClientTimeout);
    }

    /// <summary>Connects clients 0…<see cref="LoadSimulation.Clients"/>−1 as the simulation injects them and subscribes each to <paramref name="symbolsOf"/>(i) (none when null) in <paramref name="mode"/>; returns failures.</summary>
    public async Task<int> ConnectAsync(LoadSimulation simulation, Func<int, (LatencyRecorder? Latency, StallControl? Stall)> roleOf, Func<int, IReadOnlyList<string>?> symbolsOf, SubscriptionMode mode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(roleOf);
        ArgumentNullException.ThrowIfNull(symbolsOf);
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = ProgressLoopAsync("connect", progressStop.Token);
        try
        {
            return await simulation.InjectAsync(async (i, token) =>
            {
                var (latency, stall) = roleOf(i);
                var context = new ClientContext(i, BaseUri, Connector, Stats.Register(), latency, Symbols, stall, _clientTimeout, mode);
                ILoadClient client = Kind == TargetKind.SignalR ? new SignalRLoadClient(context) : new MarketStreamLoadClient(context);
                lock (_clientsLock)
                {
                    _clients[i] = client;
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
                Interlocked.Increment(ref Stats.ConnectedClients);
                _ = client.Completion.ContinueWith(
                    _ =>
                    {
                        Interlocked.Decrement(ref Stats.ConnectedClients);
                        if (client.CloseReason is { } reason)
                        {
                            Stats.Disconnects.AddOrUpdate(reason, 1, static (_, n) => n + 1);
                        }
                    },
                    TaskScheduler.Default);
                if (symbolsOf(i) is { } symbols)
                {
                    await client.SubscribeAsync(symbols, timeout.Token).ConfigureAwait(false);
                }
            }, ct).ConfigureAwait(false);
        }
        finally
        {
            await progressStop.CancelAsync().ConfigureAwait(false);
            await progress.ConfigureAwait(false);
        }
    }

    /// <summary>Notes for the report about how this run went (e.g. the feed started before every client was in).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>
    /// After the connect phase of a server started with a feed delay: notes whether the feed had already
    /// started (connecting took longer than the delay), then waits, printing progress, until updates flow.
    /// </summary>
    public async Task WaitForFeedAsync(TimeSpan limit, CancellationToken ct)
    {
        if (Stats.Totals().Updates > 0)
        {
            Notes.Add("the feed started before every client had subscribed: connecting took longer than --feed-delay");
            return;
        }

        if (Volatile.Read(ref Stats.ConnectedClients) == 0)
        {
            return; // nobody to wait for: connect_failures and clients_missing report it
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = ProgressLoopAsync("feed-wait", stop.Token);
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        try
        {
            // The progress loop ends early only by throwing (the server exited): leave at once to surface it.
            while (Stats.Totals().Updates == 0 && !progress.IsCompleted)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new InvalidOperationException($"no update reached any {Label} client within {limit.TotalSeconds:0} s of the connect phase ending (feed delay too long, or the feed is not running)");
                }

                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await progress.ConfigureAwait(false);
        }
    }

    /// <summary>Samples and prints once a second for <paramref name="duration"/>.</summary>
    public async Task RunPhaseAsync(string phase, TimeSpan duration, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(duration);
        await ProgressLoopAsync(phase, stop.Token).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Fills the common figures of a measured window into <paramref name="result"/>.</summary>
    /// <summary>
    /// Injected clients not connected now. Every one must still be connected when a phase ends: one that
    /// ended without a close reason (a client-side timeout, a handshake that never finished) is not in
    /// "disconnected" but is counted here.
    /// </summary>
    public int ClientsMissing
    {
        get
        {
            lock (_clientsLock)
            {
                return _clients.Count - Volatile.Read(ref Stats.ConnectedClients);
            }
        }
    }

    public void Report(RunResult result, HistogramBase latency, CounterTotals totals, double seconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(latency);
        seconds = Math.Max(seconds, 1e-6);
        result.Add("clients", Stats.ConnectedClients);
        result.Add("clients_missing", ClientsMissing);
        result.Add("seconds", Math.Round(seconds, 2));
        result.Add("updates_per_sec", totals.Updates / seconds);
        result.Add("ticks_covered_per_sec", totals.TicksCovered / seconds);
        if (Kind == TargetKind.MarketStream)
        {
            result.Add("frames_per_sec", totals.Frames / seconds);
            result.Add("bytes_per_sec", totals.Bytes / seconds);
            result.Add("updates_per_frame", totals.Frames == 0 ? 0 : (double)totals.Updates / totals.Frames);
        }

        result.Add("merged_ratio", totals.MergedRatio);
        result.Add("errors", totals.Errors);
        result.Add("negative_latencies", totals.NegativeLatencies);
        AddLatency(result, "", latency);
        AddServerFigures(result);
    }

    public static void AddLatency(RunResult result, string prefix, HistogramBase h)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(h);
        var any = h.TotalCount > 0;
        result.Add(prefix + "latency_samples", h.TotalCount);
        result.Add(prefix + "p50_ms", any ? h.GetValueAtPercentile(50) / 1e6 : double.NaN);
        result.Add(prefix + "p90_ms", any ? h.GetValueAtPercentile(90) / 1e6 : double.NaN);
        result.Add(prefix + "p99_ms", any ? h.GetValueAtPercentile(99) / 1e6 : double.NaN);
        result.Add(prefix + "p999_ms", any ? h.GetValueAtPercentile(99.9) / 1e6 : double.NaN);
        result.Add(prefix + "max_ms", any ? h.GetMaxValue() / 1e6 : double.NaN);
        if (prefix.Length == 0 && any)
        {
            foreach (var v in h.Percentiles(5))
            {
                result.LatencyDistribution.Add([v.PercentileLevelIteratedTo, v.ValueIteratedTo / 1e6]);
                if (v.PercentileLevelIteratedTo >= 100 || result.LatencyDistribution.Count > 400)
                {
                    break;
                }
            }
        }
    }

    public void AddServerFigures(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var disconnected = 0;
        foreach (var (reason, count) in Stats.Disconnects)
        {
            disconnected += count;
            result.Notes.Add($"{count} connection(s) ended by the server or network: {reason}");
        }

        result.Add("disconnected", disconnected);
        result.Notes.AddRange(Notes);
        var rows = Stats.Rows;
        if (rows.Count == 0 || Stats.Server is null)
        {
            result.Notes.Add("server CPU and memory not sampled (attached without --server-pid)");
            return;
        }

        double cpu = 0, load = 0, rssMax = 0;
        var n = 0;
        foreach (var r in rows)
        {
            if (!double.IsNaN(r.ServerCpuPct))
            {
                cpu += r.ServerCpuPct;
                load += r.LoadGenCpuPct;
                n++;
            }

            rssMax = Math.Max(rssMax, r.ServerRssMb);
        }

        result.Add("server_cpu_pct", n == 0 ? double.NaN : cpu / n);
        result.Add("server_rss_mb", rows[^1].ServerRssMb);
        result.Add("server_rss_max_mb", rssMax);
        result.Add("loadgen_cpu_pct", n == 0 ? double.NaN : load / n);
    }

    public async ValueTask DisposeAsync()
    {
        var clients = Clients;
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 16 }, static async (c, _) => await c.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        Connector.Dispose();
    }

    private async Task ProgressLoopAsync(string phase, CancellationToken ct)
    {
        var next = Stopwatch.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            next += Stopwatch.Frequency;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (ct.IsCancellationRequested)
            {
                break;
            }

            var row = Stats.Sample(phase);
            _ctx.Progress(Format(row));
            if (_server is { HasExited: true })
            {
                throw new InvalidOperationException($"the {Label} server exited during the run; see server-{Label}.log");
            }
        }
    }

    private string Format(IntervalRow r) => string.Create(CultureInfo.InvariantCulture,
        $"[{Label} {r.Phase,-8} {r.T,6:0}s] clients {r.Clients,6:N0} | {Rate(r.UpdatesPerSec)} upd/s {Rate(r.FramesPerSec)} frames/s {r.BytesPerSec / 1048576,6:0.0} MiB/s merged {r.MergedRatio,4:P0} | p50 {r.P50Ms,6:0.000} p99 {r.P99Ms,7:0.000} max {r.MaxMs,8:0.0} ms | server {r.ServerCpuPct,4:0}% {r.ServerRssMb,6:0} MiB | loadgen {r.LoadGenCpuPct,4:0}%");

    public static string Rate(double v) => v switch
    {
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{v / 1e6,6:0.00}M"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{v / 1e3,6:0.0}k"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{v,7:0}"),
    };
}
