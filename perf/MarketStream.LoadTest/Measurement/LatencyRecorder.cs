using HdrHistogram;

namespace MarketStream.LoadTest.Measurement;

/// <summary>
/// Tick-to-client latency in nanoseconds, recorded by many receive loops at once. Clients are spread
/// over a few HdrHistogram <see cref="Recorder"/>s so they rarely contend on one; the sampler swaps
/// each recorder's interval histogram out once a second without stopping writers.
/// </summary>
internal sealed class LatencyRecorder
{
    /// <summary>Largest latency tracked: one hour, in ns.</summary>
    public const long HighestNs = 3_600_000_000_000;

    private const int Shards = 8;
    private readonly Recorder[] _shards = new Recorder[Shards];
    private readonly HistogramBase?[] _recycle = new HistogramBase?[Shards];

    public LatencyRecorder()
    {
        for (var i = 0; i < Shards; i++)
        {
            _shards[i] = new Recorder(1, HighestNs, 3, static (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
        }
    }

    public static LongHistogram NewHistogram() => new(1, HighestNs, 3);

    public void Record(int client, long latencyNs) => _shards[client & (Shards - 1)].RecordValue(Math.Clamp(latencyNs, 1, HighestNs));

    /// <summary>Moves what was recorded since the last call into <paramref name="into"/> (added, not replaced).</summary>
    public void DrainInto(HistogramBase into)
    {
        for (var i = 0; i < Shards; i++)
        {
            var interval = _recycle[i] is { } old ? _shards[i].GetIntervalHistogram(old) : _shards[i].GetIntervalHistogram();
            into.Add(interval);
            _recycle[i] = interval;
        }
    }
}
