namespace MarketStream.Benchmarks.Ring;

/// <summary>What a measuring consumer saw: read back after <see cref="Done"/> is set.</summary>
internal sealed class ConsumerProbe(long expectedCount)
{
    public long ExpectedCount { get; } = expectedCount;

    public long Count;
    public long Sum;
    public long Batches;
    public long Errors;

    /// <summary>Set once the consumer has seen <see cref="ExpectedCount"/> events (a full fence, so the fields above are visible).</summary>
    public ManualResetEventSlim Done { get; } = new(false, spinCount: 0);
}
