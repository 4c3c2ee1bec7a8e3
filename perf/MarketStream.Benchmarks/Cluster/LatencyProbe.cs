using System.Diagnostics;
using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Benchmarks.Cluster;

/// <summary>
/// A last ring stage (gated on fan-out) that records, per update, the time since the producer
/// stamped <see cref="Tick.ReceiveTimeNs"/> — on the ingest node that is the embedded path, on the
/// gateway the same ticks after the NATS hop, so the two differ by exactly the hop.
/// </summary>
internal sealed class LatencyProbe(int capacity) : IEventHandler<Tick>
{
    private readonly long[] _samples = new long[capacity];
    private int _count;
    private long _seen;
    private volatile bool _recording;

    public long Seen => Volatile.Read(ref _seen);

    public static long NowNs() => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

    public void Record(bool on) => _recording = on;

    public void OnEvent(ref Tick data, long sequence, bool endOfBatch)
    {
        if (data.Kind is not (TickKind.Quote or TickKind.Trade))
        {
            return;
        }

        Volatile.Write(ref _seen, _seen + 1);
        if (_recording && _count < _samples.Length)
        {
            _samples[_count++] = NowNs() - data.ReceiveTimeNs;
        }
    }

    /// <summary>Percentiles in microseconds of what was recorded (call after the stage stopped recording).</summary>
    public (double P50, double P99, int Count) Percentiles()
    {
        var n = _count;
        if (n == 0)
        {
            return (double.NaN, double.NaN, 0);
        }

        var sorted = _samples.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        return (sorted[(int)(n * 0.50)] / 1000.0, sorted[Math.Min(n - 1, (int)(n * 0.99))] / 1000.0, n);
    }
}
