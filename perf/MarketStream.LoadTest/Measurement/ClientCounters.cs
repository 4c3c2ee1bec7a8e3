namespace MarketStream.LoadTest.Measurement;

/// <summary>
/// One client's running totals. Written only by that client's receive loop (no atomics on the hot
/// path); read by the sampler once a second (64-bit reads do not tear on the 64-bit runtimes we use).
/// </summary>
internal sealed class ClientCounters
{
    /// <summary>Update and Merged messages received (each is one delivered update).</summary>
    public long Updates;

    /// <summary>Merged messages received.</summary>
    public long Merged;

    /// <summary>Ticks folded into the Merged messages received (sum of their <c>count</c>).</summary>
    public long MergedTicks;

    /// <summary>WebSocket messages received.</summary>
    public long Frames;

    /// <summary>Payload bytes received.</summary>
    public long Bytes;

    /// <summary>Snapshots and resets received.</summary>
    public long Snapshots;

    /// <summary>Protocol errors, notices and undecodable frames.</summary>
    public long Errors;

    /// <summary>Latencies below zero (clock anchors disagree); counted, not recorded.</summary>
    public long NegativeLatencies;
}
