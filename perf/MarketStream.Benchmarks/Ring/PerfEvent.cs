namespace MarketStream.Benchmarks.Ring;

/// <summary>The slot (and channel item) of the throughput runs: a value from the producer, a field stage A writes.</summary>
public struct PerfEvent
{
    public long Value;
    public long Stage;
}
