using System.Diagnostics;
using HdrHistogram;

namespace MarketStream.LoadTest.Measurement;

/// <summary>
/// Everything one run measures: the clients' counters, their latencies, the server's and the load
/// generator's CPU and memory, sampled once a second into <see cref="IntervalRow"/>s. Counters and
/// latencies before <see cref="BeginMeasurement"/> (connecting, snapshots, warm-up) are not reported.
/// </summary>
internal sealed class LoadStats
{
    private readonly List<ClientCounters> _clients = [];
    private readonly Lock _clientsLock = new();
    private readonly ProcessSampler? _server;
    private readonly ProcessSampler _self = new(Environment.ProcessId);
    private readonly LongHistogram _interval = LatencyRecorder.NewHistogram();
    private long _measureStart;
    private long _lastSampleAt;
    private CounterTotals _lastTotals;
    private CounterTotals _measureStartTotals;
    private ProcessSample _lastServer;
    private ProcessSample _lastSelf;
    private bool _measuring;

    public LoadStats(int? serverPid)
    {
        _server = serverPid is { } pid ? new ProcessSampler(pid) : null;
        _lastSampleAt = Stopwatch.GetTimestamp();
        _server?.TrySample(out _lastServer);
        _self.TrySample(out _lastSelf);
    }

    public LatencyRecorder Latency { get; } = new();

    /// <summary>Latencies of the measured window (all clients, or those <see cref="RecordFor"/> accepts).</summary>
    public LongHistogram Total { get; } = LatencyRecorder.NewHistogram();

    public List<IntervalRow> Rows { get; } = [];

    /// <summary>Clients connected now (maintained by the scenario).</summary>
    public int ConnectedClients;

    public TimeSpan Measured => _measuring ? Stopwatch.GetElapsedTime(_measureStart) : TimeSpan.Zero;

    public ProcessSampler? Server => _server;

    /// <summary>Connections the server or network ended during the run, by reason.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Disconnects { get; } = new(StringComparer.Ordinal);

    public ClientCounters Register()
    {
        var c = new ClientCounters();
        lock (_clientsLock)
        {
            _clients.Add(c);
        }

        return c;
    }

    public CounterTotals Totals()
    {
        long u = 0, m = 0, mt = 0, f = 0, b = 0, s = 0, e = 0, n = 0;
        lock (_clientsLock)
        {
            foreach (var c in _clients)
            {
                u += Volatile.Read(ref c.Updates);
                m += Volatile.Read(ref c.Merged);
                mt += Volatile.Read(ref c.MergedTicks);
                f += Volatile.Read(ref c.Frames);
                b += Volatile.Read(ref c.Bytes);
                s += Volatile.Read(ref c.Snapshots);
                e += Volatile.Read(ref c.Errors);
                n += Volatile.Read(ref c.NegativeLatencies);
            }
        }

        return new CounterTotals(u, m, mt, f, b, s, e, n);
    }

    /// <summary>Starts the measured window: what came before is discarded.</summary>
    public void BeginMeasurement()
    {
        Sample(null);
        Rows.Clear();
        Total.Reset();
        _measureStartTotals = _lastTotals;
        _measureStart = Stopwatch.GetTimestamp();
        _measuring = true;
    }

    /// <summary>Seconds covered by the kept rows (the last sample's time).</summary>
    public double MeasuredSeconds => Rows.Count > 0 ? Rows[^1].T : 0;

    /// <summary>Returns the latencies recorded since the last call (or the measurement's start) and starts afresh: one histogram per phase.</summary>
    public LongHistogram TakeTotal()
    {
        var copy = (LongHistogram)Total.Copy();
        Total.Reset();
        return copy;
    }

    /// <summary>Counters over the measured window.</summary>
    public CounterTotals MeasuredTotals() => _lastTotals - _measureStartTotals;

    /// <summary>Takes one interval sample (call about once a second); the row is kept while measuring.</summary>
    public IntervalRow Sample(string? phase)
    {
        var now = Stopwatch.GetTimestamp();
        var seconds = Math.Max(1e-6, Stopwatch.GetElapsedTime(_lastSampleAt, now).TotalSeconds);
        var totals = Totals();
        var d = totals - _lastTotals;
        _interval.Reset();
        Latency.DrainInto(_interval);
        if (_measuring)
        {
            Total.Add(_interval);
        }

        double serverCpu = double.NaN, selfCpu = double.NaN;
        long serverRss = 0;
        if (_server is not null && _server.TrySample(out var s))
        {
            serverCpu = (s.CpuSeconds - _lastServer.CpuSeconds) / seconds * 100;
            serverRss = s.RssBytes;
            _lastServer = s;
        }

        if (_self.TrySample(out var me))
        {
            selfCpu = (me.CpuSeconds - _lastSelf.CpuSeconds) / seconds * 100;
            _lastSelf = me;
        }

        var row = new IntervalRow(
            Math.Round(_measuring ? Stopwatch.GetElapsedTime(_measureStart, now).TotalSeconds : 0, 2),
            phase ?? "",
            Volatile.Read(ref ConnectedClients),
            d.Updates / seconds,
            d.Frames / seconds,
            d.Bytes / seconds,
            d.MergedRatio,
            _interval.TotalCount == 0 ? 0 : _interval.GetValueAtPercentile(50) / 1e6,
            _interval.TotalCount == 0 ? 0 : _interval.GetValueAtPercentile(99) / 1e6,
            _interval.TotalCount == 0 ? 0 : _interval.GetMaxValue() / 1e6,
            serverCpu,
            serverRss / 1048576.0,
            selfCpu);
        _lastTotals = totals;
        _lastSampleAt = now;
        if (_measuring)
        {
            Rows.Add(row);
        }

        return row;
    }

    /// <summary>The server's current resident memory, or 0 when it is not sampled.</summary>
    public long ServerRssBytes() => _server is not null && _server.TrySample(out var s) ? s.RssBytes : 0;
}
